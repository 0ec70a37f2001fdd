"""The watch-list count on the overview (财政重点监控 on today's date)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from jiceng.core.dashboard import register_widget
from jiceng.core.policies.services import PolicyMissing
from jiceng.directory.dashboard import scope_root
from jiceng.finance import selectors
from jiceng.finance.models import BudgetProject


@register_widget("finance.watchlist", order=500)
def finance_watchlist(request: HttpRequest) -> dict[str, Any] | None:
    root = scope_root(request, "finance.view_budgetproject")
    if root is None:
        return None
    today = timezone.localdate()
    projects = BudgetProject.objects.restrict(request.user, "view").filter(area__path__startswith=root.path)
    if not projects.filter(year=today.year).exists():
        return None
    try:
        count = len(selectors.watch_list(projects, today))
    except PolicyMissing:
        return None
    return {
        "template": "finance/widgets/watchlist.html",
        "root": root,
        "on": today,
        "count": count,
        "projects": projects.filter(year=today.year).count(),
    }
