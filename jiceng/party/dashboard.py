"""Party figures for the county overview: enterprise coverage and branch secretaries from management."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.dashboard import register_widget
from jiceng.core.scope import user_scope_paths
from jiceng.directory.dashboard import scope_root
from jiceng.party.selectors import coverage


@register_widget("party.coverage", order=200)
def party_coverage(request: HttpRequest) -> dict[str, Any] | None:
    root = scope_root(request, "party.view_partyorg")
    if root is None:
        return None
    data = coverage(root, request.user, on=timezone.localdate())
    rows = [r for r in data["rows"] if r["enterprises"]]
    chart = {
        "title": _("Enterprises covered by a party organisation (%)"),
        "categories": [r["area"].name for r in rows],
        "series": [{"name": _("Coverage"), "data": [float(r["coverage"] or 0) for r in rows]}],
    }
    parent_in_scope = root.parent_id and any(
        root.parent.path.startswith(p) for p in user_scope_paths(request.user, "party.view_partyorg")
    )
    return {
        "template": "party/widgets/coverage.html",
        "root": root,
        "parent": root.parent if parent_in_scope else None,
        "rows": rows,
        "totals": data["totals"],
        "chart": chart,
    }
