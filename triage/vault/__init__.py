"""Stage 5-6: what triage writes into the vault and reads back (catalog, pages, writer, search)."""
