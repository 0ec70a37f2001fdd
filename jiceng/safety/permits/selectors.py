"""Scoped reads of hazardous work: the live board of open permits and the distribution of the
reported operations by area, work type and enterprise (set-based: one GROUP BY each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from jiceng.core.selectors import access_object
from jiceng.directory.models import Area
from jiceng.safety.permits.choices import OPEN_STATES, WorkType
from jiceng.safety.permits.models import OperationReport, WorkPermit
from jiceng.safety.permits.services import covering_permits, is_covered_q, reports_covered_by

SEGMENT = 13  # a 12-digit division code and its separator in ``Area.path``
TOP_ENTERPRISES = 20


def access_permit(user: Any, pk: Any, action: str = "view") -> WorkPermit:
    queryset = WorkPermit.objects.select_related("enterprise", "area")
    return access_object(user, WorkPermit, {"pk": pk}, action, queryset=queryset)


def open_permits(user: Any, root_path: str) -> QuerySet[WorkPermit]:
    """Approved and active permits in the area, the soonest to lapse first (the live board)."""
    return (
        WorkPermit.objects.restrict(user, "view")
        .filter(state__in=OPEN_STATES, area__path__startswith=root_path)
        .select_related("enterprise", "area")
        .order_by("valid_until", "id")
    )


def board_rows(user: Any, root_path: str, *, now: dt.datetime) -> list[dict[str, Any]]:
    """One row per open permit with its time left (negative once lapsed)."""
    rows = []
    for permit in open_permits(user, root_path):
        remaining = permit.valid_until - now
        rows.append(
            {
                "permit": permit,
                "remaining": remaining,
                "is_expired": remaining.total_seconds() <= 0,
                "is_starting": permit.valid_from > now,
            }
        )
    return rows


def permit_reports(user: Any, permit: WorkPermit) -> QuerySet[OperationReport]:
    return reports_covered_by(permit).restrict(user, "view").select_related("enterprise")


def report_permits(user: Any, report: OperationReport) -> QuerySet[WorkPermit]:
    return covering_permits(report).restrict(user, "view")


def reports_in(user: Any, root: Area, start: dt.datetime | None = None, end: dt.datetime | None = None) -> QuerySet:
    reports = OperationReport.objects.restrict(user, "view").filter(area__path__startswith=root.path)
    if start is not None:
        reports = reports.filter(starts_at__gte=start)
    if end is not None:
        reports = reports.filter(starts_at__lt=end)
    return reports


def distribution(
    user: Any, root: Area, *, now: dt.datetime, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> dict[str, Any]:
    """Reported hazardous operations in ``root``'s subtree (optionally those starting in
    [``start``, ``end``)): per child area, per work type and for the busiest enterprises — how many,
    with how many workers, how many covered by a permit and how many started without one."""
    reports = reports_in(user, root, start, end).annotate(is_covered=is_covered_q())
    figures = {
        "operations": Count("id"),
        "workers": Sum("workers"),
        "covered": Count("id", filter=Q(is_covered=True)),
        "uncovered": Count("id", filter=Q(is_covered=False, starts_at__lte=now)),
    }

    def clean(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "workers": row.get("workers") or 0}

    by_child = {
        row["child"]: clean(row)
        for row in reports.annotate(child=Substr("area__path", 1, len(root.path) + SEGMENT))
        .values("child")
        .annotate(**figures)
        .order_by()
    }
    areas = []
    for area in Area.objects.filter(parent=root).order_by("code").only("code", "name", "path"):
        row = by_child.get(area.path)
        if row:
            areas.append({"area": area, **row})
    own = by_child.get(root.path)
    if own:
        areas.append({"area": None, **own})
    found = {row["work_type"]: clean(row) for row in reports.values("work_type").annotate(**figures).order_by()}
    empty = {"operations": 0, "workers": 0, "covered": 0, "uncovered": 0}
    work_types = [{"work_type": t.value, "label": t.label, **found.get(t.value, empty)} for t in WorkType]
    enterprises = [
        clean(row)
        for row in reports.values("enterprise", "enterprise__name")
        .annotate(**figures)
        .order_by("-operations", "enterprise")[:TOP_ENTERPRISES]
    ]
    totals = clean(reports.aggregate(**figures))
    return {"root": root, "areas": areas, "work_types": work_types, "enterprises": enterprises, "totals": totals}
