"""Stage 3-4: NLP (entities, insights) and classification (topics, teleology, tier)."""
