"""Safety figures for the county overview: resident supervision coverage of key enterprises by sector."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.dashboard import register_widget
from jiceng.directory.dashboard import scope_root
from jiceng.safety.selectors import resident_supervision_coverage


@register_widget("safety.resident_supervision", order=300)
def safety_resident_supervision(request: HttpRequest) -> dict[str, Any] | None:
    root = scope_root(request, "safety.view_safetyprofile")
    if root is None:
        return None
    data = resident_supervision_coverage(request.user, root.path, on=timezone.localdate())
    rows = [r for r in data["rows"] if r["key"]]
    chart = {
        "title": _("Key enterprises with a stationed supervisor, by sector"),
        "categories": [r["sector"].name for r in rows],
        "series": [
            {"name": _("Key enterprises"), "data": [r["key"] for r in rows]},
            {"name": _("With a stationed supervisor"), "data": [r["stationed"] for r in rows]},
        ],
    }
    return {
        "template": "safety/widgets/resident_supervision.html",
        "root": root,
        "totals": data["totals"],
        "chart": chart,
    }
