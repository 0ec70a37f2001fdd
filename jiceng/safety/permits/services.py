"""Writes of hazardous work: operation reports, work permits and their workflow, and the scan that
raises the two permit alerts.

Every refusal of a rule is a ``GuardFailed`` (HTTP 409, ``guard_failed``) listing each broken rule
with its policy, numbers and source; nothing is written when one is raised. Plain bad input (a
missing height, a window that ends before it starts) is ``InvalidInput`` (400).

Alerts (``scan_permits``, every five minutes; idempotent — one open alert per rule and subject):

- ``safety.permit_expired_open``: an approved or active permit past its window;
- ``safety.work_without_permit``: reported work that has started with no approved permit
  of the enterprise and work type valid at its start.

Both are resolved by the scan once the condition clears (and at once by the service that clears it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.alerts.models import Alert, AlertState
from jiceng.core.alerts.services import raise_alert, resolve_alert
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.scope import user_can
from jiceng.core.workflow import GuardFailed, Reason, TransitionRefused, policy_reason
from jiceng.core.workflow.services import apply_transition, list_refusals
from jiceng.safety.permits import rules
from jiceng.safety.permits.choices import COVERING_STATES, OPEN_STATES, PermitState, WorkType
from jiceng.safety.permits.models import OperationReport, WorkPermit

EXPIRED_RULE = "safety.permit_expired_open"
UNCOVERED_RULE = "safety.work_without_permit"

# The API's target state → the transition that reaches it.
TRANSITIONS = {
    PermitState.SUBMITTED: "submit",
    PermitState.APPROVED: "approve",
    PermitState.REJECTED: "reject",
    PermitState.ACTIVE: "start",
    PermitState.CLOSED: "close",
    PermitState.CANCELLED: "cancel",
}
# Inputs that belong to one work type only (cleared for the others).
TYPE_FIELDS: dict[str, tuple[str, Any]] = {
    "hot_work_level": (WorkType.HOT_WORK, ""),
    "blind_plate_mode": (WorkType.BLIND_PLATE, ""),
    "height_m": (WorkType.HEIGHT, None),
    "load_t": (WorkType.LIFTING, None),
    "is_special_power": (WorkType.TEMPORARY_POWER, False),
}
REQUIRED_INPUT = {
    WorkType.HOT_WORK: "hot_work_level",
    WorkType.BLIND_PLATE: "blind_plate_mode",
    WorkType.HEIGHT: "height_m",
    WorkType.LIFTING: "load_t",
}


def _value(data: Mapping[str, Any], obj: Any, name: str) -> Any:
    if name in data:
        return data[name]
    return getattr(obj, name, None) if obj is not None else None


# --- permits ------------------------------------------------------------------------------------
def _permit_data(data: Mapping[str, Any], permit: WorkPermit | None) -> dict[str, Any]:
    """``data`` with the type-specific inputs checked, the window completed and the level computed;
    ``GuardFailed`` listing every rule the inputs break."""
    data = dict(data)
    fields = {f.name for f in WorkPermit._meta.concrete_fields} - {"state"}
    values = {name: _value(data, permit, name) for name in fields}
    work_type = values.get("work_type")
    if work_type not in WorkType.values:
        raise InvalidInput(_("Choose one of the eight special-work types."), field="work_type")
    for name, (owner, empty) in TYPE_FIELDS.items():
        if work_type != owner:
            values[name] = data[name] = empty
    if values.get("enterprise") is None:
        raise InvalidInput(_("A permit belongs to an enterprise."), field="enterprise")
    required = REQUIRED_INPUT.get(WorkType(work_type))
    if required is not None and values.get(required) in (None, ""):
        label = WorkPermit._meta.get_field(required).verbose_name
        raise InvalidInput(
            _("A %(kind)s permit needs its %(field)s.") % {"kind": WorkType(work_type).label, "field": label},
            field=required,
        )
    for name in ("height_m", "load_t"):
        if values.get(name) is not None and values[name] <= 0:
            raise InvalidInput(_("A positive number is needed."), field=name)
    if values.get("valid_from") is None:
        raise InvalidInput(_("A permit needs the start of its window."), field="valid_from")
    probe = WorkPermit(**{k: v for k, v in values.items() if k not in ("id", "level")})
    if values.get("valid_until") is None:
        longest = rules.longest_window(probe)
        if longest is None:
            raise InvalidInput(
                _("A %(kind)s permit needs the end of its window.") % {"kind": WorkType(work_type).label},
                field="valid_until",
            )
        probe.valid_until = data["valid_until"] = probe.valid_from + longest
    if probe.valid_until <= probe.valid_from:
        raise InvalidInput(_("The window must end after it starts."), field="valid_until")
    level, reasons = rules.compute_level(probe)
    found = rules.window_reason(probe)
    reasons = [*reasons, found] if found else reasons
    if reasons:
        raise GuardFailed(reasons, transition="update" if permit else "create")
    data["level"] = level
    return data


def do_create_permit(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> WorkPermit:
    """Draw up a permit (a draft): its level is computed and its window checked against the validity
    policy (an empty end takes the longest window the policy allows)."""
    prepared = _permit_data(data, None)
    with transaction.atomic():
        return services.do_create(WorkPermit, data=prepared, acting_user=acting_user, comment=comment)


def do_update_permit(permit: WorkPermit, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> WorkPermit:
    """Correct a draft (a submitted permit is decided as it is; cancel and draw up a new one)."""
    if permit.state != PermitState.DRAFT:
        raise InvalidInput(
            _("Only a draft permit can be edited; this one is “%(state)s”.") % {"state": permit.get_state_display()},
            code="not_a_draft",
        )
    if "enterprise" in data and data["enterprise"] != permit.enterprise:
        raise InvalidInput(_("A permit stays with its enterprise."), field="enterprise")
    prepared = _permit_data(data, permit)
    with transaction.atomic():
        return services.do_update(permit, data=prepared, acting_user=acting_user, comment=comment)


def do_delete_permit(permit: WorkPermit, *, acting_user: Any, comment: str = "") -> None:
    """Delete a draft (every other permit is a record: cancel it instead)."""
    if permit.state != PermitState.DRAFT:
        raise InvalidInput(_("Only a draft permit can be deleted; cancel this one instead."), code="not_a_draft")
    services.do_delete(permit, acting_user=acting_user, comment=comment)


def transition_name(to: str) -> str:
    if to not in TRANSITIONS:
        raise InvalidInput(_("Unknown permit state “%(to)s”.") % {"to": to}, field="to")
    return TRANSITIONS[PermitState(to)]


def refusals(permit: WorkPermit, to: str, *, acting_user: Any) -> list[Reason]:
    """What would stop ``permit`` reaching state ``to`` now (empty: it may proceed)."""
    name = transition_name(to)
    today = timezone.localdate()
    found = list_refusals(permit, name, acting_user=acting_user, on=today)
    if name == "approve" and acting_user is not None and user_can(acting_user, permit, "approve_workpermit"):
        reason = rules.approver_reason(permit, acting_user, on=today)
        found = ([reason] if reason else []) + found
    return found


def do_transition(permit: WorkPermit, *, to: str, acting_user: Any, comment: str = "") -> WorkPermit:
    """Move ``permit`` to state ``to`` through the workflow engine (permission over its area, every
    guard, row lock, transition log, audit). Approval also needs approval rights at the area level
    the policy names for the permit's type and level."""
    name = transition_name(to)
    today = timezone.localdate()
    if name == "approve" and acting_user is not None:
        if not user_can(acting_user, permit, "approve_workpermit"):
            raise PermissionRefused(_("You may not approve work permits here."))
        found = rules.approver_reason(permit, acting_user, on=today)
        others = list_refusals(permit, name, acting_user=acting_user, on=today)
        if found or others:
            raise GuardFailed(([found] if found else []) + others, transition=name)
    try:
        with transaction.atomic():
            moved = apply_transition(permit, name, acting_user=acting_user, comment=comment, on=today)
            if moved.state not in OPEN_STATES:
                resolve_alert(
                    rule=EXPIRED_RULE, subject=moved, acting_user=acting_user, comment=_("The permit is closed.")
                )
            if moved.state in COVERING_STATES:
                for report in reports_covered_by(moved):
                    resolve_alert(
                        rule=UNCOVERED_RULE,
                        subject=report,
                        acting_user=acting_user,
                        comment=_("A permit covers the work."),
                    )
    except TransitionRefused as exc:
        if isinstance(exc, GuardFailed):
            raise
        raise GuardFailed(exc.reasons, transition=name) from exc
    return moved


# --- reports ------------------------------------------------------------------------------------
def _report_data(data: Mapping[str, Any], report: OperationReport | None) -> dict[str, Any]:
    data = dict(data)
    starts = _value(data, report, "starts_at")
    ends = _value(data, report, "ends_at")
    if starts is not None and ends is not None and ends <= starts:
        raise InvalidInput(_("The work must end after it starts."), field="ends_at")
    return data


def do_create_report(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> OperationReport:
    """Record a hazardous operation an enterprise reports (its alert follows at once if uncovered)."""
    with transaction.atomic():
        report = services.do_create(
            OperationReport, data=_report_data(data, None), acting_user=acting_user, comment=comment
        )
        check_report(report, now=timezone.now())
    return report


def do_update_report(
    report: OperationReport, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> OperationReport:
    if "enterprise" in data and data["enterprise"] != report.enterprise:
        raise InvalidInput(_("A report stays with its enterprise."), field="enterprise")
    with transaction.atomic():
        updated = services.do_update(report, data=_report_data(data, report), acting_user=acting_user, comment=comment)
        check_report(updated, now=timezone.now())
    return updated


def do_delete_report(report: OperationReport, *, acting_user: Any, comment: str = "") -> None:
    with transaction.atomic():
        resolve_alert(
            rule=UNCOVERED_RULE, subject=report, acting_user=acting_user, comment=_("The report was deleted.")
        )
        services.do_delete(report, acting_user=acting_user, comment=comment)


# --- coverage -----------------------------------------------------------------------------------
def covering(enterprise: Any, work_type: Any, starts_at: Any) -> QuerySet[WorkPermit]:
    """Approved (active, or since closed) permits of the enterprise and work type valid at ``starts_at``."""
    return WorkPermit.objects.filter(
        enterprise=enterprise,
        work_type=work_type,
        state__in=COVERING_STATES,
        valid_from__lte=starts_at,
        valid_until__gt=starts_at,
    )


def covering_permits(report: OperationReport) -> QuerySet[WorkPermit]:
    return covering(report.enterprise_id, report.work_type, report.starts_at)


def is_covered_q() -> Exists:
    """``EXISTS`` a covering permit, for annotating ``OperationReport`` querysets."""
    return Exists(covering(OuterRef("enterprise"), OuterRef("work_type"), OuterRef("starts_at")))


def reports_covered_by(permit: WorkPermit) -> QuerySet[OperationReport]:
    return OperationReport.objects.filter(
        enterprise_id=permit.enterprise_id,
        work_type=permit.work_type,
        starts_at__gte=permit.valid_from,
        starts_at__lt=permit.valid_until,
    )


# --- the alert scan ------------------------------------------------------------------------------
def _local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def raise_expired(permit: WorkPermit, now: dt.datetime) -> Alert | None:
    """Alert on an approved or active permit whose window is over (orange)."""
    validity = rules.validity_policy(permit)
    numbers = {
        "permit": permit,
        "location": permit.location,
        "end": _local(permit.valid_until),
        "late": rules.describe_length(now - permit.valid_until),
        "state": permit.get_state_display(),
        "kind": rules.kind_label(permit),
    }
    if validity is not None:
        reason = policy_reason(
            validity,
            _(
                "%(permit)s at %(location)s: its window ended at %(end)s, %(late)s ago, and the permit is still open "
                "(%(state)s); a %(kind)s permit is valid for at most %(value)s %(unit)s"
            ),
            **numbers,
        )
    else:
        reason = policy_reason(
            rules.policy(rules.PERMIT_REQUIRED, permit),
            _(
                "%(permit)s at %(location)s: its window ended at %(end)s, %(late)s ago, and the permit is still open "
                "(%(state)s); work goes on only under a valid permit"
            ),
            **numbers,
        )
    return raise_alert(
        rule=EXPIRED_RULE,
        subject=permit,
        severity="orange",
        explanation=reason.message,
        evidence={
            "policy": reason.policy_key,
            "valid_from": permit.valid_from.isoformat(),
            "valid_until": permit.valid_until.isoformat(),
            "state": permit.state,
            "level": permit.level,
        },
    )


def raise_uncovered(report: OperationReport, rule: Any) -> Alert | None:
    """Alert on reported work that started with no approved permit covering it (red)."""
    explanation = policy_reason(
        rule,
        _(
            "%(enterprise)s reported %(kind)s at %(location)s from %(start)s with %(workers)s workers, and no approved "
            "permit covers it; special work is done only under a valid permit"
        ),
        enterprise=report.enterprise,
        kind=report.get_work_type_display(),
        location=report.location,
        start=_local(report.starts_at),
        workers=report.workers,
    ).message
    return raise_alert(
        rule=UNCOVERED_RULE,
        subject=report,
        severity="red",
        explanation=explanation,
        evidence={
            "policy": rule.key,
            "work_type": report.work_type,
            "starts_at": report.starts_at.isoformat(),
            "workers": report.workers,
        },
    )


def check_report(report: OperationReport, *, now: dt.datetime) -> None:
    """Raise or resolve the work-without-permit alert of one report."""
    rule = rules.policy(rules.PERMIT_REQUIRED, report, timezone.localtime(report.starts_at).date())
    if report.starts_at <= now and rule.value and not covering_permits(report).exists():
        raise_uncovered(report, rule)
    else:
        resolve_alert(rule=UNCOVERED_RULE, subject=report, comment=_("A permit covers the work."))


def _open_subjects(rule: str, model: type) -> list[int]:
    content_type = ContentType.objects.get_for_model(model)
    ids = (
        Alert.objects.filter(rule=rule, content_type=content_type)
        .exclude(state=AlertState.CLOSED)
        .values_list("object_id", flat=True)
    )
    return [int(pk) for pk in ids]


def scan_permits(now: dt.datetime | None = None) -> dict[str, int]:
    """Raise the two permit alerts where their condition holds at ``now`` and resolve those whose
    condition cleared. Running it again changes nothing (one open alert per rule and subject)."""
    now = now or timezone.now()
    counts = {"expired": 0, "uncovered": 0, "resolved": 0}
    expired = WorkPermit.objects.filter(state__in=OPEN_STATES, valid_until__lte=now).select_related("enterprise__area")
    expired_ids = set()
    for permit in expired:
        expired_ids.add(permit.pk)
        raise_expired(permit, now)
        counts["expired"] += 1
    stale = set(_open_subjects(EXPIRED_RULE, WorkPermit)) - expired_ids
    for permit in WorkPermit.objects.filter(pk__in=stale):
        counts["resolved"] += resolve_alert(rule=EXPIRED_RULE, subject=permit, comment=_("The permit was closed."))
    started = (
        OperationReport.objects.filter(starts_at__lte=now)
        .annotate(is_covered=is_covered_q())
        .filter(is_covered=False)
        .select_related("enterprise__area")
    )
    uncovered_ids = set()
    for report in started:
        rule = rules.policy(rules.PERMIT_REQUIRED, report, timezone.localtime(report.starts_at).date())
        if not rule.value:
            continue
        uncovered_ids.add(report.pk)
        raise_uncovered(report, rule)
        counts["uncovered"] += 1
    stale = set(_open_subjects(UNCOVERED_RULE, OperationReport)) - uncovered_ids
    for report in OperationReport.objects.filter(pk__in=stale):
        counts["resolved"] += resolve_alert(rule=UNCOVERED_RULE, subject=report, comment=_("A permit covers the work."))
    return counts
