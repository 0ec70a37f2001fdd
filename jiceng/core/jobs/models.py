"""jobs engine models."""
