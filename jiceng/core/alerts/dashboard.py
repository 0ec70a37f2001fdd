"""Open alerts by severity for the county overview (one GROUP BY over the user's scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from jiceng.core.alerts.models import NOT_CLOSED, Alert, Severity
from jiceng.core.dashboard import register_widget
from jiceng.core.scope import user_scope_paths


def count_open_by_severity(user: Any) -> dict[str, int]:
    rows = (
        Alert.objects.restrict(user, "view")
        .filter(state__in=NOT_CLOSED)
        .values("severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    found = {row["severity"]: row["n"] for row in rows}
    return {str(s): found.get(str(s), 0) for s in Severity}


@register_widget("alerts.open", order=5)
def open_alerts(request: HttpRequest) -> dict[str, Any] | None:
    if not user_scope_paths(request.user, "alerts.view_alert"):
        return None
    counts = count_open_by_severity(request.user)
    rows = [(s.value, s.label, counts[s.value]) for s in reversed(list(Severity))]
    return {"template": "alerts/widgets/open_alerts.html", "rows": rows, "total": sum(counts.values())}
