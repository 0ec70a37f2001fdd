"""checklists engine models."""
