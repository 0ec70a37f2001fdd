"""alerts engine models."""
