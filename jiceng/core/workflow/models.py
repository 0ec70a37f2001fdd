"""workflow engine models."""
