"""The hazard ledger on the county overview: found, rectified, open, overdue and listed majors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.dashboard import register_widget
from jiceng.directory.dashboard import scope_root
from jiceng.safety.hazards import selectors


@register_widget("safety.hazards", order=310)
def safety_hazards(request: HttpRequest) -> dict[str, Any] | None:
    root = scope_root(request, "safety_hazards.view_hazard")
    if root is None:
        return None
    today = timezone.localdate()
    hazards = selectors.visible_hazards(request.user, root.path)
    rows = [r for r in selectors.hazards_by_child(hazards, root, on=today) if r["found"]]
    chart = {
        "title": _("Hazards found, rectified and open, by area"),
        "categories": [r["name"] for r in rows],
        "series": [
            {"name": _("Found"), "data": [r["found"] for r in rows]},
            {"name": _("Rectified and closed"), "data": [r["closed"] for r in rows]},
            {"name": _("Open"), "data": [r["open"] for r in rows]},
            {"name": _("Overdue"), "data": [r["overdue"] for r in rows]},
        ],
    }
    return {
        "template": "safety_hazards/widgets/hazards.html",
        "root": root,
        "totals": selectors.hazard_totals(hazards, on=today),
        "chart": chart,
    }
