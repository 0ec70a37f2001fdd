"""Writes of the results app: targets and their reports, findings and their rectification case,
the idle-fund scan, the monitoring report and the review notes.

A refusal of a business rule is a ``GuardFailed`` (HTTP 409, ``guard_failed``) listing every broken
rule with its numbers and source; bad input is ``InvalidInput`` (400). Nothing is written when either
is raised (each service runs in one transaction). Transitions run through the workflow engine
(permission over the finding's area, guards, row lock, transition log, audit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.alerts.services import raise_alert, resolve_alert
from jiceng.core.deadlines.models import DeadlineState
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.scope import user_can
from jiceng.core.workflow import GuardFailed, Reason, TransitionRefused
from jiceng.core.workflow.services import apply_transition, list_refusals
from jiceng.finance import selectors as finance
from jiceng.finance.results import rules
from jiceng.finance.results.choices import FindingKind, FindingStatus, IdleFundRule, Measure
from jiceng.finance.results.models import (
    Finding,
    FindingResponse,
    IdleFundWarning,
    MonitoringReport,
    PerformanceTarget,
    ReviewNote,
    TargetReport,
)

OVERDUE_RULE = "finance.finding_overdue"


def _atomic() -> Any:
    return transaction.atomic(durable=not transaction.get_connection().in_atomic_block)


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _not_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise InvalidInput(_("The date %(day)s is in the future.") % {"day": day.isoformat()}, field=field)


def _in_year(day: dt.date | None, project: Any, field: str) -> None:
    if day is not None and project is not None and day.year != project.year:
        raise InvalidInput(
            _("The date %(day)s lies outside the project year %(year)s.")
            % {"day": day.isoformat(), "year": project.year},
            field=field,
        )


# --- targets and progress reports ---------------------------------------------------------------
def do_create_target(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> PerformanceTarget:
    """Set a performance target (绩效目标) on a project."""
    if data.get("project") is None:
        raise InvalidInput(_("A target belongs to a project."), field="project")
    return services.do_create(PerformanceTarget, data=data, acting_user=acting_user, comment=comment)


def do_update_target(
    target: PerformanceTarget, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> PerformanceTarget:
    """Correct or adjust a target (调整绩效目标); a target stays with its project."""
    if "project" in data and data["project"] != target.project:
        raise InvalidInput(_("A target stays with its project."), field="project")
    return services.do_update(target, data=data, acting_user=acting_user, comment=comment)


def do_delete_target(target: PerformanceTarget, *, acting_user: Any, comment: str = "") -> None:
    if target.findings.exists():
        raise InvalidInput(_("A target with findings is kept; adjust it instead."))
    services.do_delete(target, acting_user=acting_user, comment=comment)


def do_report_progress(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> TargetReport:
    """Record a progress report of a target (dated; value achieved, forecast year-end value)."""
    target = data.get("target")
    if target is None:
        raise InvalidInput(_("A progress report is about a target."), field="target")
    day = data.get("reported_on")
    _not_future(day, "reported_on")
    _in_year(day, target.project, "reported_on")
    if TargetReport.objects.filter(target=target, reported_on=day).exists():
        raise InvalidInput(_("This target already has a report of %(day)s.") % {"day": day}, field="reported_on")
    return services.do_create(TargetReport, data=data, acting_user=acting_user, comment=comment)


def do_update_report(
    report: TargetReport, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> TargetReport:
    if "target" in data and data["target"] != report.target:
        raise InvalidInput(_("A report stays with its target."), field="target")
    day = data.get("reported_on", report.reported_on)
    _not_future(day, "reported_on")
    _in_year(day, report.target.project, "reported_on")
    return services.do_update(report, data=data, acting_user=acting_user, comment=comment)


# --- findings ------------------------------------------------------------------------------
def _measures(value: Any) -> list[str]:
    items = [str(m) for m in (value or [])]
    unknown = [m for m in items if m not in Measure.values]
    if unknown:
        raise InvalidInput(_("Unknown measures: %(m)s.") % {"m": ", ".join(unknown)}, field="measures")
    return list(dict.fromkeys(items))


def finding_numbers(kind: str, project: Any, on: dt.date, *, target: Any = None, warning: Any = None) -> dict[str, Any]:
    """The numbers a finding rests on, computed on its issue date (the caller may add its own)."""
    if kind == FindingKind.IDLE_FUNDS and warning is not None:
        return {"rule": warning.rule, **warning.numbers, "explanation": warning.explanation}
    if kind == FindingKind.TARGET_DEVIATION and target is not None:
        report = target.reports.filter(reported_on__lte=on).order_by("-reported_on").first()
        if report is not None:
            found = rules.deviation(target, report, on=on)
            return {**found.numbers, "policy": found.tolerance.key, "explanation": found.explanation}
        return {}
    figures = finance.monitoring(project, on)
    return {
        "on": on.isoformat(),
        "current_budget": str(figures["current_budget"]),
        "spent": str(figures["spent"]),
        "time_progress": None if figures["time_progress"] is None else str(figures["time_progress"]),
        "execution_progress": None if figures["execution_progress"] is None else str(figures["execution_progress"]),
        "lag_points": None if figures["lag_points"] is None else str(figures["lag_points"]),
        "key_monitoring": figures["key_monitoring"],
        "reasons": [r.message for r in figures["reasons"]],
    }


def do_issue_finding(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Finding:
    """Issue a finding to the project's department (下达整改): due ``finance.findings.response_workdays``
    Chinese workdays after ``issued_on``. ``numbers`` default to the figures the finding rests on."""
    data = dict(data)
    project = data.get("project")
    if project is None:
        raise InvalidInput(_("A finding is about a project."), field="project")
    issued_on = data.get("issued_on") or timezone.localdate()
    _not_future(issued_on, "issued_on")
    if issued_on.year < project.year:
        raise InvalidInput(_("A finding is issued during or after the project year."), field="issued_on")
    if acting_user is not None and not user_can(acting_user, project, "view"):
        raise InvalidInput(_("The project does not exist."), field="project")
    kind = data.get("kind") or FindingKind.OTHER
    if kind not in FindingKind.values:
        raise InvalidInput(_("Unknown kind “%(kind)s”.") % {"kind": kind}, field="kind")
    target, warning = data.get("target"), data.get("warning")
    if warning is not None:
        if warning.project_id != project.pk:
            raise InvalidInput(_("The warning is about another project."), field="warning")
        if Finding.objects.filter(warning=warning).exists():
            raise InvalidInput(_("This warning has already been turned into a finding."), field="warning")
    if not str(data.get("text") or "").strip():
        raise InvalidInput(_("Say what was found."), field="text")
    numbers = data.get("numbers") or finding_numbers(kind, project, issued_on, target=target, warning=warning)
    probe = Finding(project=project)
    probe.area_id = project.area_id
    row = {
        **data,
        "kind": kind,
        "issued_on": issued_on,
        "department": project.unit,
        "numbers": numbers,
        "measures": _measures(data.get("measures")),
        "issued_by": _user(acting_user),
        **rules.deadline_fields(probe, issued_on),
        "deadline_state": DeadlineState.PENDING,
    }
    with _atomic():
        return services.do_create(Finding, data=row, acting_user=acting_user, comment=comment)


def do_issue_from_warning(
    warning: IdleFundWarning, *, acting_user: Any, measures: Any = (), on: dt.date | None = None
) -> Finding:
    """Turn an idle-fund warning into a finding (its explanation is the text, its numbers the basis)."""
    return do_issue_finding(
        data={
            "project": warning.project,
            "kind": FindingKind.IDLE_FUNDS,
            "text": warning.explanation,
            "warning": warning,
            "measures": list(measures),
            "issued_on": on or timezone.localdate(),
            "is_demo": warning.is_demo,
        },
        acting_user=acting_user,
    )


def do_update_finding(finding: Finding, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Finding:
    """Correct the text or measures of an open finding (its project, kind and dates stay)."""
    if finding.status == FindingStatus.CLOSED:
        raise InvalidInput(_("A closed finding is not changed."))
    allowed = {"text", "measures"}
    extra = sorted(set(data) - allowed)
    if extra:
        raise InvalidInput(_("Only the text and the measures of a finding are corrected."), field=extra[0])
    data = dict(data)
    if "measures" in data:
        data["measures"] = _measures(data["measures"])
    return services.do_update(finding, data=data, acting_user=acting_user, comment=comment)


def _state_reason(finding: Finding, name: str) -> Reason:
    messages = {
        ("respond", FindingStatus.RESPONDED): _("The department has already responded; the bureau decides next."),
        ("respond", FindingStatus.CLOSED): _("The finding is closed; no response is taken."),
        ("close", FindingStatus.ISSUED): _(
            "The department has not responded yet (due %(due)s); a finding is closed after its response."
        ),
        ("close", FindingStatus.CLOSED): _("The finding is already closed."),
        ("reject", FindingStatus.ISSUED): _("There is no response to reject."),
        ("reject", FindingStatus.CLOSED): _("The finding is closed; its response is no longer rejected."),
    }
    text = messages.get((name, FindingStatus(finding.status)), _("Not possible in this state."))
    return Reason(message=text % {"due": finding.due_on.isoformat()} if "%(due)s" in text else text)


def refusals(finding: Finding, name: str, *, acting_user: Any, on: dt.date | None = None) -> list[Reason]:
    """What would stop ``name`` (respond, close, reject) on ``on`` (empty: it may proceed)."""
    on = on or timezone.localdate()
    if name not in ("respond", "close", "reject"):
        raise InvalidInput(_("Unknown step “%(name)s”.") % {"name": name}, field="action")
    fresh = Finding._base_manager.select_related("area", "project").get(pk=finding.pk)
    if (name == "respond" and fresh.status != FindingStatus.ISSUED) or (
        name != "respond" and fresh.status != FindingStatus.RESPONDED
    ):
        return [_state_reason(fresh, name)]
    return list_refusals(fresh, name, acting_user=acting_user, on=on)


def _transition(
    finding: Finding, name: str, *, on: dt.date, acting_user: Any, comment: str, args: tuple = ()
) -> Finding:
    if on > timezone.localdate():
        raise GuardFailed(
            [Reason(message=_("The date %(on)s is in the future.") % {"on": on.isoformat()})], transition=name
        )
    found = refusals(finding, name, acting_user=acting_user, on=on)
    if found and found[0].message == _("You do not have permission to do this."):
        raise PermissionRefused(found[0].message)
    if found:
        raise GuardFailed(found, transition=name)
    try:
        return apply_transition(finding, name, acting_user=acting_user, comment=comment, on=on, args=args)
    except TransitionRefused as exc:
        if isinstance(exc, GuardFailed):
            raise
        raise GuardFailed(exc.reasons, transition=name) from exc


def do_respond(finding: Finding, *, text: str, on: dt.date | None = None, acting_user: Any) -> Finding:
    """The department's response (整改反馈) in the current round: the row and the move together;
    the overdue alert, if any, is resolved."""
    on = on or timezone.localdate()
    if not str(text or "").strip():
        raise InvalidInput(_("Say what the department did."), field="text")
    with _atomic():
        moved = _transition(finding, "respond", on=on, acting_user=acting_user, comment=text[:200])
        services.do_create(
            FindingResponse,
            data={
                "finding": moved,
                "round": moved.round,
                "text": text.strip(),
                "responded_on": on,
                "responded_by": _user(acting_user),
                "is_demo": moved.is_demo,
            },
            acting_user=acting_user,
        )
        resolve_alert(rule=OVERDUE_RULE, subject=moved, acting_user=acting_user, comment=_("The department responded."))
    finding.refresh_from_db()
    return finding


def do_close(finding: Finding, *, note: str = "", on: dt.date | None = None, acting_user: Any) -> Finding:
    """The bureau accepts the response and closes the case (办结); needs ``close_finding``."""
    on = on or timezone.localdate()
    with _atomic():
        moved = _transition(finding, "close", on=on, acting_user=acting_user, comment=note, args=(note,))
        resolve_alert(rule=OVERDUE_RULE, subject=moved, acting_user=acting_user, comment=_("Closed."))
    finding.refresh_from_db()
    return finding


def do_reject(finding: Finding, *, reason: str, on: dt.date | None = None, acting_user: Any) -> Finding:
    """The bureau rejects the response: back to issued for another round (the deadline keeps running;
    past it, the overdue alert is raised at once). Needs ``close_finding``."""
    on = on or timezone.localdate()
    if not str(reason or "").strip():
        raise InvalidInput(_("Say why the response is rejected."), field="reason")
    with _atomic():
        current_round = Finding._base_manager.values_list("round", flat=True).get(pk=finding.pk)
        moved = _transition(finding, "reject", on=on, acting_user=acting_user, comment=reason)
        response = FindingResponse.objects.filter(finding=moved, round=current_round).first()
        if response is not None:
            services.do_update(
                response,
                data={"rejected_on": on, "rejection_reason": reason.strip()},
                acting_user=acting_user,
            )
        if moved.is_overdue(on):
            state = moved.deadline_state if moved.deadline_state == DeadlineState.ESCALATED else DeadlineState.OVERDUE
            raise_overdue_alert(moved, state, on=on)
    finding.refresh_from_db()
    return finding


def do_delete_finding(finding: Finding, *, acting_user: Any, comment: str = "") -> None:
    """Withdraw a finding issued by mistake: only while issued and without a response."""
    if finding.status != FindingStatus.ISSUED or finding.responses.exists():
        raise InvalidInput(_("Only a finding without a response is withdrawn."))
    with transaction.atomic():
        resolve_alert(rule=OVERDUE_RULE, subject=finding, acting_user=acting_user, comment=_("Withdrawn."))
        services.do_delete(finding, acting_user=acting_user, comment=comment)


# --- the overdue alert (deadline scanner hook) -------------------------------------------------
SEVERITY = {DeadlineState.WARNED: "blue", DeadlineState.OVERDUE: "yellow", DeadlineState.ESCALATED: "orange"}


def overdue_explanation(finding: Finding, state: str, on: dt.date) -> tuple[str, dict[str, Any]]:
    """What the alert says: the finding, the department, the deadline, the rule and its source."""
    rule = rules.policy(rules.RESPONSE_WORKDAYS, finding, finding.issued_on)
    numbers: dict[str, Any] = {
        "kind": finding.get_kind_display(),
        "project": finding.project.name,
        "department": finding.department.name,
        "issued": finding.issued_on.isoformat(),
        "due": finding.due_on.isoformat(),
        "days": finding.due_workdays,
        "source": rule.cite(),
    }
    if state == DeadlineState.WARNED:
        text = _(
            "Finding (%(kind)s) on “%(project)s” issued to %(department)s on %(issued)s is due for a response on "
            "%(due)s (%(days)s workdays, %(source)s)."
        )
    elif state == DeadlineState.ESCALATED:
        escalate = rules.policy(rules.ESCALATE_WORKDAYS, finding, on)
        numbers.update(escalate=escalate.value, escalate_source=escalate.cite())
        text = _(
            "Finding (%(kind)s) on “%(project)s” issued to %(department)s on %(issued)s was due for a response on "
            "%(due)s (%(days)s workdays, %(source)s) and is still unanswered %(escalate)s workdays later "
            "(%(escalate_source)s): escalated."
        )
    else:
        numbers["late"] = (on - finding.due_on).days
        text = _(
            "Finding (%(kind)s) on “%(project)s” issued to %(department)s on %(issued)s was due for a response on "
            "%(due)s (%(days)s workdays, %(source)s) and is %(late)d day(s) overdue."
        )
    evidence = {
        "policy": rule.key,
        "value": rule.value,
        "source": rule.cite(),
        "issued_on": finding.issued_on.isoformat(),
        "due_on": finding.due_on.isoformat(),
        "state": str(state),
        "department": finding.department.name,
        "provisional": finding.deadline_provisional,
    }
    return text % numbers, evidence


def raise_overdue_alert(finding: Finding, state: str, *, on: dt.date | None = None) -> Any:
    on = on or timezone.localdate()
    explanation, evidence = overdue_explanation(finding, state, on)
    return raise_alert(
        rule=OVERDUE_RULE,
        subject=finding,
        severity=SEVERITY[DeadlineState(state)],
        explanation=explanation,
        evidence=evidence,
        area_path=finding.area.path,
    )


def finding_moved(state: str, rows: list[Finding]) -> None:
    """Deadline scanner hook: one alert per finding still waiting for its response, rising in severity."""
    on = timezone.localdate()
    ids = [row.pk for row in rows]
    for finding in Finding.objects.filter(pk__in=ids).select_related("project", "department", "area").order_by("pk"):
        if finding.status != FindingStatus.ISSUED:
            continue
        raise_overdue_alert(finding, state, on=on)


# --- idle funds ------------------------------------------------------------------------------
def idle_checks_for(project: Any, on: dt.date) -> list[rules.IdleCheck]:
    return rules.idle_checks(
        project,
        on,
        budget=finance.current_budget(project, on),
        spent=finance.spent(project, on),
        disbursed=finance.disbursed(project, on),
    )


def monitored_projects(queryset: Any, on: dt.date) -> list[Any]:
    """The projects of ``on``'s year in the monitored set (the core scope rules)."""
    from jiceng.finance import rules as scope_rules

    rows = queryset.filter(year=on.year).select_related("unit", "area").order_by("unit__name", "name", "pk")
    return [p for p in rows if scope_rules.scope_decision(p, on)[0]]


def do_scan_idle_funds(
    *, on: dt.date, area_path: str = "", acting_user: Any = None, projects: Any = None, is_demo: bool = False
) -> list[IdleFundWarning]:
    """Flag the monitored projects (of ``on``'s year, under ``area_path``) that break an idle-fund rule
    on ``on``: one warning per project and rule (a second scan adds nothing for it)."""
    from jiceng.finance.models import BudgetProject

    _not_future(on, "on")
    queryset = projects if projects is not None else BudgetProject.objects.all()
    if acting_user is not None:
        queryset = queryset.restrict(acting_user, "view")
    if area_path:
        queryset = queryset.filter(area__path__startswith=area_path)
    already = set(IdleFundWarning.objects.filter(scanned_on__year=on.year).values_list("project_id", "rule"))
    rows = []
    for project in monitored_projects(queryset, on):
        for check in idle_checks_for(project, on):
            if not check.flagged or (project.pk, check.rule) in already:
                continue
            warning = IdleFundWarning(
                project=project,
                rule=IdleFundRule(check.rule),
                scanned_on=on,
                numbers=check.numbers,
                explanation=check.explanation,
                is_demo=is_demo,
            )
            warning.area_id = project.area_id
            rows.append(warning)
    if not rows:
        return []
    with _atomic():
        return services.do_bulk_create(
            IdleFundWarning, rows, acting_user=acting_user, comment=_("idle-fund scan of %(on)s") % {"on": on}
        )


# --- the monitoring report ----------------------------------------------------------------------
def do_generate_report(
    *, area: Any, period_end: dt.date, acting_user: Any, title: str = "", is_demo: bool = False
) -> MonitoringReport:
    """Generate (or return, when it exists) the monitoring report of ``area`` for Jan 1 – ``period_end``:
    the figures of ``reports.compute_figures`` frozen in the row."""
    from jiceng.finance.results.reports import compute_figures, default_title

    _not_future(period_end, "period_end")
    existing = MonitoringReport.objects.filter(area=area, period_end=period_end).first()
    if existing is not None:
        return existing
    figures = compute_figures(area, period_end)
    return services.do_create(
        MonitoringReport,
        data={
            "area": area,
            "year": period_end.year,
            "period_end": period_end,
            "title": title or default_title(area, period_end),
            "figures": figures,
            "generated_by": _user(acting_user),
            "is_demo": is_demo,
        },
        acting_user=acting_user,
    )


def do_delete_report(report: MonitoringReport, *, acting_user: Any) -> None:
    services.do_delete(report, acting_user=acting_user)


# --- notes for next year's review --------------------------------------------------------------
def do_create_review_note(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> ReviewNote:
    """Record a note for the department's (or project's) budget of the next year."""
    data = dict(data)
    project = data.get("project")
    if project is not None:
        data.setdefault("department", project.unit)
        data.setdefault("for_year", project.year + 1)
    if data.get("department") is None:
        raise InvalidInput(_("A note is for a department."), field="department")
    amount = data.get("amount")
    if amount is not None:
        data["amount"] = Decimal(amount).quantize(Decimal("0.01"))
    return services.do_create(ReviewNote, data=data, acting_user=acting_user, comment=comment)


def do_update_review_note(
    note: ReviewNote, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> ReviewNote:
    return services.do_update(note, data=data, acting_user=acting_user, comment=comment)


__all__ = [
    "OVERDUE_RULE",
    "GuardFailed",
    "do_close",
    "do_create_review_note",
    "do_create_target",
    "do_generate_report",
    "do_issue_finding",
    "do_issue_from_warning",
    "do_reject",
    "do_report_progress",
    "do_respond",
    "do_scan_idle_funds",
    "finding_moved",
    "refusals",
]
