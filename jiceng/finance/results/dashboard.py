"""The results on the county overview: findings open and overdue, deviations, idle-fund warnings."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from jiceng.core.dashboard import register_widget
from jiceng.directory.dashboard import scope_root
from jiceng.finance.results import selectors


@register_widget("finance.results", order=510)
def finance_results(request: HttpRequest) -> dict[str, Any] | None:
    root = scope_root(request, "finance_results.view_finding")
    if root is None:
        return None
    figures = selectors.dashboard_figures(request.user, root, timezone.localdate())
    return {
        "template": "finance_results/widgets/results.html",
        "root": root,
        "findings": figures["findings"],
        "deviations": len(figures["deviations"]),
        "warnings": len(figures["warnings"]),
    }
