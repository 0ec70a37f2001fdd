"""Scoped reads of the results app: deviations on a date, the mid-year target summary, the state of
findings on a date and the dashboard figures.

Everything is computed from dated rows up to ``on`` (reports, responses, closures), so each figure is
reproducible for a past date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from jiceng.core.selectors import access_object
from jiceng.finance.results import rules
from jiceng.finance.results.choices import FindingStatus, TargetState
from jiceng.finance.results.models import (
    Finding,
    FindingResponse,
    IdleFundWarning,
    PerformanceTarget,
    ReviewNote,
    TargetReport,
)

HUNDRED = Decimal(100)


def rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"))


def access_finding(user: Any, pk: Any, action: str = "view") -> Finding:
    return access_object(
        user,
        Finding,
        {"pk": pk},
        action,
        queryset=Finding.objects.select_related("project__unit", "project__area", "department", "area", "target"),
    )


def visible(model: Any, user: Any, root_path: str = "") -> QuerySet:
    qs = model.objects.restrict(user, "view")
    return qs.filter(area__path__startswith=root_path) if root_path else qs


# --- targets --------------------------------------------------------------------------------
def latest_reports(targets: list[PerformanceTarget], on: dt.date) -> dict[int, TargetReport]:
    """target id → its latest report dated on or before ``on`` (one query)."""
    found: dict[int, TargetReport] = {}
    rows = TargetReport.objects.filter(target__in=[t.pk for t in targets], reported_on__lte=on).order_by(
        "target_id", "reported_on"
    )
    for report in rows:
        found[report.target_id] = report
    return found


def target_rows(targets: QuerySet, on: dt.date) -> list[dict[str, Any]]:
    """Each target with its latest report on ``on``, its state and its deviation (when reported)."""
    items = list(targets.select_related("project__unit", "project__area", "area").order_by("project_id", "pk"))
    latest = latest_reports(items, on)
    rows = []
    for target in items:
        report = latest.get(target.pk)
        found = rules.deviation(target, report, on=on) if report is not None else None
        if found is None:
            state = TargetState.NOT_REPORTED
        else:
            state = TargetState.DEVIATING if found.flagged else TargetState.ON_TRACK
        rows.append({"target": target, "report": report, "deviation": found, "state": state})
    return rows


def deviations(targets: QuerySet, on: dt.date) -> list[rules.Deviation]:
    """The flagged deviations of ``targets`` on ``on`` (latest report of each)."""
    return [r["deviation"] for r in target_rows(targets, on) if r["deviation"] is not None and r["deviation"].flagged]


def trend(target: PerformanceTarget, on: dt.date | None = None) -> list[dict[str, Any]]:
    """The series of a target's reports (up to ``on``), each with its deviation flag."""
    reports = target.reports.order_by("reported_on")
    if on is not None:
        reports = reports.filter(reported_on__lte=on)
    series = []
    for report in reports:
        found = rules.deviation(target, report)
        series.append(
            {
                "reported_on": report.reported_on,
                "achieved": report.achieved,
                "forecast": report.forecast,
                "flagged": found.flagged,
                "gap_pct": found.gap_pct,
                "note": report.note,
            }
        )
    return series


def target_summary(targets: QuerySet, on: dt.date) -> dict[str, Any]:
    """The mid-year summary (1–7月 汇总分析) of target completion on ``on``: per department and per
    project, targets set, reported, on track, deviating, not reported, and the on-track rate."""
    rows = target_rows(targets, on)
    by_department: dict[int, dict[str, Any]] = {}
    by_project: dict[int, dict[str, Any]] = {}

    def blank(**extra: Any) -> dict[str, Any]:
        return {"targets": 0, "reported": 0, "on_track": 0, "deviating": 0, "not_reported": 0, **extra}

    for row in rows:
        project = row["target"].project
        dept = by_department.setdefault(project.unit_id, blank(department=project.unit, projects=set()))
        proj = by_project.setdefault(project.pk, blank(project=project))
        dept["projects"].add(project.pk)
        for bucket in (dept, proj):
            bucket["targets"] += 1
            bucket[str(row["state"])] += 1
            if row["state"] != TargetState.NOT_REPORTED:
                bucket["reported"] += 1
    totals = blank(projects=set())
    for dept in by_department.values():
        totals["projects"] |= dept["projects"]
        for key in ("targets", "reported", "on_track", "deviating", "not_reported"):
            totals[key] += dept[key]
    for bucket in [*by_department.values(), *by_project.values(), totals]:
        bucket["on_track_rate"] = rate(bucket["on_track"], bucket["reported"])
        if "projects" in bucket:
            bucket["projects"] = len(bucket["projects"])
    departments = sorted(by_department.values(), key=lambda d: d["department"].name)
    projects = sorted(by_project.values(), key=lambda p: (p["project"].unit.name, p["project"].name))
    return {"on": on, "totals": totals, "departments": departments, "projects": projects, "rows": rows}


# --- findings -----------------------------------------------------------------------------
def status_on(finding: Finding, on: dt.date, responses: list[FindingResponse] | None = None) -> str | None:
    """The status a finding had at the end of ``on`` (None before it was issued)."""
    if finding.issued_on > on:
        return None
    if finding.closed_on is not None and finding.closed_on <= on:
        return FindingStatus.CLOSED
    answers = responses if responses is not None else list(finding.responses.all())
    for answer in answers:
        if answer.responded_on <= on and (answer.rejected_on is None or answer.rejected_on > on):
            return FindingStatus.RESPONDED
    return FindingStatus.ISSUED


def overdue_on(finding: Finding, on: dt.date, status: str | None) -> bool:
    return status == FindingStatus.ISSUED and finding.due_on < on


def finding_states(findings: QuerySet, on: dt.date) -> list[tuple[Finding, str, bool]]:
    """(finding, status on ``on``, overdue on ``on``) for the findings issued by then."""
    items = list(
        findings.filter(issued_on__lte=on)
        .select_related("project__unit", "department", "area")
        .prefetch_related("responses")
        .order_by("issued_on", "pk")
    )
    result = []
    for finding in items:
        status = status_on(finding, on, list(finding.responses.all()))
        if status is not None:
            result.append((finding, status, overdue_on(finding, on, status)))
    return result


def finding_totals(states: list[tuple[Finding, str, bool]]) -> dict[str, int]:
    totals = {"issued": len(states), "open": 0, "responded": 0, "closed": 0, "overdue": 0}
    for _finding, status, overdue in states:
        totals["closed" if status == FindingStatus.CLOSED else "open"] += 1
        totals["responded"] += status == FindingStatus.RESPONDED
        totals["overdue"] += overdue
    return totals


# --- dashboard ----------------------------------------------------------------------------
def dashboard_figures(user: Any, root: Any, on: dt.date) -> dict[str, Any]:
    """Findings open and overdue, deviations, idle-fund warnings and notes in ``root``'s subtree."""
    findings = visible(Finding, user, root.path)
    states = finding_states(findings, on)
    targets = visible(PerformanceTarget, user, root.path).filter(project__year=on.year)
    flagged = deviations(targets, on)
    warnings = visible(IdleFundWarning, user, root.path).filter(scanned_on__year=on.year, scanned_on__lte=on)
    by_department: dict[str, dict[str, int]] = defaultdict(lambda: {"open": 0, "overdue": 0, "closed": 0})
    for finding, status, overdue in states:
        row = by_department[finding.department.name]
        row["closed" if status == FindingStatus.CLOSED else "open"] += 1
        row["overdue"] += overdue
    return {
        "on": on,
        "findings": finding_totals(states),
        "overdue": [f for f, _s, overdue in states if overdue],
        "open": [f for f, s, _o in states if s != FindingStatus.CLOSED],
        "deviations": flagged,
        "warnings": list(warnings.select_related("project__unit").order_by("-scanned_on", "project__name")),
        "without_finding": warnings.filter(finding__isnull=True).count(),
        "by_department": sorted(by_department.items()),
        "notes": visible(ReviewNote, user, root.path).filter(for_year=on.year + 1).count(),
    }
