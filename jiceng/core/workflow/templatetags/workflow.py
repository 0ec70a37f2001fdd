"""``{% load workflow %}{% transition_history obj %}``: the transition timeline of any object."""

from __future__ import annotations

from typing import Any

from django import template

from jiceng.core.workflow.services import list_transitions

register = template.Library()


@register.inclusion_tag("workflow/partials/transitions.html")
def transition_history(obj: Any) -> dict[str, Any]:
    """Include where the page has already checked access to ``obj``."""
    return {"transitions": list(list_transitions(obj))}
