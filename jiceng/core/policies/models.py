"""policies engine models."""
