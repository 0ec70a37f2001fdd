"""deadlines engine models."""
