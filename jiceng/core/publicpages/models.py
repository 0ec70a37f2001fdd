"""publicpages engine models."""
