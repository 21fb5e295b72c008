"""Stage 1-2: captures in the inbox become Notes (reading, tool recognition, metadata)."""
