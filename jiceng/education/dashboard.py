"""Education figures for the overview: classes over and at the cap (E07) and the registration work items (E08)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from jiceng.core.dashboard import register_widget
from jiceng.directory.dashboard import scope_root
from jiceng.education import selectors


@register_widget("education.class_sizes", order=400)
def education_class_sizes(request: HttpRequest) -> dict[str, Any] | None:
    root = scope_root(request, "education.view_schoolclass")
    if root is None:
        return None
    today = timezone.localdate()
    counts = selectors.oversized_counts(
        request.user, area_path=root.path, on=today, year=selectors.school_year_of(today)
    )
    if not counts["classes"]:
        return None
    findings = len(selectors.integrity_findings(request.user, area_path=root.path))
    return {"template": "education/widgets/class_sizes.html", "root": root, "counts": counts, "findings": findings}
