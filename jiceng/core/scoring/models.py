"""scoring engine models."""
