"""transfer engine models."""
