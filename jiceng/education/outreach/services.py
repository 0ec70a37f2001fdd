"""Writes of consultation and outreach.

Every write goes through ``jiceng.core.services`` (validated, audited, scope-checked) inside one
transaction. Plain bad input is ``InvalidInput`` or ``ValidationError`` (400); a broken rule is
``GuardFailed`` (409) naming it; nothing is written when either is raised.

Alert (raised by the deadlines engine's scanner through ``consultation_moved``; one open alert per
consultation): ``education.consultation_callback_overdue`` — a consultation not called back by the
end of its due day (yellow), still not called back ``callback_escalate_workdays`` later (orange).
Recording the callback resolves it at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.alerts.services import raise_alert, resolve_alert
from jiceng.core.deadlines.models import DeadlineState
from jiceng.core.errors import InvalidInput
from jiceng.core.workflow import GuardFailed, Reason
from jiceng.education.models import Enrollment, Student
from jiceng.education.outreach import rules
from jiceng.education.outreach.choices import CallbackOutcome
from jiceng.education.outreach.models import (
    Consultation,
    OutsidePublication,
    Reflection,
    StudentAid,
    StudentResult,
    StudyGroup,
    StudyLog,
)

OVERDUE_RULE = "education.consultation_callback_overdue"
SEVERITY = {DeadlineState.OVERDUE: "yellow", DeadlineState.ESCALATED: "orange"}


def _value(data: Mapping[str, Any], obj: Any, name: str) -> Any:
    if name in data:
        return data[name]
    return getattr(obj, name, None) if obj is not None else None


# --- consultations ------------------------------------------------------------------------------
def _consultation_data(data: Mapping[str, Any], consultation: Consultation | None) -> dict[str, Any]:
    """``data`` with the area taken from the school (when one is named) and the callback deadline."""
    data = dict(data)
    school = _value(data, consultation, "school")
    if school is not None:
        data["area"] = school.area
    if _value(data, consultation, "area") is None:
        raise InvalidInput(_("A consultation belongs to an office's area or to a school."), field="area")
    received_at = _value(data, consultation, "received_at")
    if received_at is None:
        raise InvalidInput(_("When was it received?"), field="received_at")
    probe = Consultation(area=_value(data, consultation, "area"), received_at=received_at)
    if consultation is None or consultation.callback_done_at is None:
        deadline = rules.callback_deadline(probe)
        data.update(deadline)
        data["deadline_state"] = DeadlineState.PENDING
    return data


def do_create_consultation(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Consultation:
    """Log a call or visit; its callback falls due ``callback_workdays`` workdays after the day received."""
    prepared = _consultation_data(data, None)
    with transaction.atomic():
        return services.do_create(Consultation, data=prepared, acting_user=acting_user, comment=comment)


def do_update_consultation(
    consultation: Consultation, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> Consultation:
    """Correct a ticket (the callback deadline follows a corrected receipt time until it is called back)."""
    prepared = _consultation_data(data, consultation)
    with transaction.atomic():
        updated = services.do_update(consultation, data=prepared, acting_user=acting_user, comment=comment)
        if updated.callback_done_at is None and not updated.is_callback_overdue(timezone.now()):
            resolve_alert(
                rule=OVERDUE_RULE, subject=updated, acting_user=acting_user, comment=_("The deadline was corrected.")
            )
    return updated


def do_delete_consultation(consultation: Consultation, *, acting_user: Any, comment: str = "") -> None:
    with transaction.atomic():
        resolve_alert(
            rule=OVERDUE_RULE, subject=consultation, acting_user=acting_user, comment=_("The ticket was deleted.")
        )
        services.do_delete(consultation, acting_user=acting_user, comment=comment)


def do_record_callback(
    consultation: Consultation,
    *,
    by: str,
    outcome: str,
    notes: str = "",
    done_at: dt.datetime | None = None,
    acting_user: Any,
) -> Consultation:
    """Record the callback (回访) of a consultation: who called back, when and with what outcome.

    The deadline is done and the overdue alert, if any, is resolved. A ticket is called back once."""
    done_at = done_at or timezone.now()
    if consultation.callback_done_at is not None:
        raise InvalidInput(
            _("This consultation was already called back on %(on)s.")
            % {"on": f"{timezone.localtime(consultation.callback_done_at):%Y-%m-%d %H:%M}"},
            code="already_called_back",
        )
    if outcome not in CallbackOutcome.values:
        raise InvalidInput(_("Choose the outcome of the callback."), field="outcome")
    if not by.strip():
        raise InvalidInput(_("Who called back?"), field="by")
    if done_at < consultation.received_at:
        raise InvalidInput(_("The callback cannot be before the consultation was received."), field="done_at")
    if done_at > timezone.now() + dt.timedelta(minutes=5):
        raise InvalidInput(_("The callback cannot be in the future."), field="done_at")
    with transaction.atomic():
        updated = services.do_update(
            consultation,
            data={
                "callback_done_at": done_at,
                "callback_by": by.strip(),
                "callback_outcome": outcome,
                "callback_notes": notes,
                "deadline_state": DeadlineState.DONE,
            },
            acting_user=acting_user,
            comment=_("Called back."),
        )
        resolve_alert(rule=OVERDUE_RULE, subject=updated, acting_user=acting_user, comment=_("Called back."))
    return updated


def overdue_explanation(consultation: Consultation, state: str, now: dt.datetime) -> tuple[str, dict[str, Any]]:
    """What the alert says: the ticket, the due day, the callback rule, the target and their sources."""
    path = consultation.area.path
    received_on = consultation.received_on
    rule = rules.policy(rules.CALLBACK_WORKDAYS, path, received_on)
    target = rules.target_policy(path, received_on)
    numbers = {
        "channel": consultation.get_channel_display(),
        "caller": consultation.caller_name,
        "phone": consultation.masked_phone,
        "received": f"{timezone.localtime(consultation.received_at):%Y-%m-%d %H:%M}",
        "due": consultation.callback_due_on.isoformat() if consultation.callback_due_on else "?",
        "days": consultation.callback_workdays if consultation.callback_workdays is not None else rule.value,
        "source": rule.cite() or rule.source_document,
        "target": target.display_value(),
        "target_source": target.cite(),
        "late": (timezone.localtime(now).date() - consultation.callback_due_on).days
        if consultation.callback_due_on
        else 0,
    }
    text = _(
        "%(channel)s of %(caller)s (%(phone)s) received %(received)s was to be called back by %(due)s "
        "(%(days)s workday(s) after receipt, %(source)s) and is %(late)d day(s) overdue; callback target "
        "%(target)s (%(target_source)s)."
    )
    if state == DeadlineState.ESCALATED:
        escalate = rules.policy(rules.CALLBACK_ESCALATE_WORKDAYS, path, received_on)
        numbers["escalate"] = escalate.value
        text = _(
            "%(channel)s of %(caller)s (%(phone)s) received %(received)s was to be called back by %(due)s "
            "(%(days)s workday(s) after receipt, %(source)s) and is still not called back %(escalate)s workdays "
            "later: escalated; callback target %(target)s (%(target_source)s)."
        )
    evidence = {
        "policy": rule.key,
        "value": rule.value,
        "source": rule.cite(),
        "target_policy": target.key,
        "target": str(target.value),
        "received_at": consultation.received_at.isoformat(),
        "due_on": numbers["due"],
        "school": consultation.school.name if consultation.school_id else "",
        "provisional": consultation.deadline_provisional,
    }
    return text % numbers, evidence


def raise_overdue_alert(consultation: Consultation, state: str, *, now: dt.datetime | None = None) -> Any:
    now = now or timezone.now()
    explanation, evidence = overdue_explanation(consultation, state, now)
    return raise_alert(
        rule=OVERDUE_RULE,
        subject=consultation,
        severity=SEVERITY.get(DeadlineState(state), "yellow"),
        explanation=explanation,
        evidence=evidence,
        area_path=consultation.area.path,
    )


def consultation_moved(state: str, rows: list[Consultation]) -> None:
    """Deadline scanner hook: alert on every consultation not called back once it is overdue (and
    raise the same alert's severity when it escalates)."""
    if state not in SEVERITY:
        return
    ids = [row.pk for row in rows]
    now = timezone.now()
    queryset = Consultation.objects.filter(pk__in=ids, callback_done_at__isnull=True)
    for consultation in queryset.select_related("area", "school").order_by("pk"):
        raise_overdue_alert(consultation, state, now=now)


def recompute_callback_deadline(consultation: Consultation) -> dict[str, Any]:
    """Fresh deadline columns (called by the deadlines engine when a holiday schedule is loaded)."""
    if consultation.callback_done_at is not None:
        return {}
    fields = rules.callback_deadline(consultation)
    return {k: v for k, v in fields.items() if k not in ("callback_workdays", "warn_at")}


# --- study groups -------------------------------------------------------------------------------
def enrolled_at(school: Any, students: Iterable[Student], on: dt.date) -> set[int]:
    """The ids among ``students`` registered at ``school`` on ``on`` or since (an enrollment not ended before)."""
    ids = [s.pk for s in students]
    current = Enrollment.objects.filter(student_id__in=ids, school=school).exclude(ended_on__lt=on)
    return set(current.values_list("student_id", flat=True))


def check_study_group(data: Mapping[str, Any], group: StudyGroup | None) -> dict[str, Any]:
    """Members are students of the group's school; the leader is one of the members (组长由组内学生担任)."""
    data = dict(data)
    school = _value(data, group, "school")
    if school is None:
        raise InvalidInput(_("A study group belongs to a school."), field="school")
    if group is not None and school != group.school:
        raise InvalidInput(_("A study group stays with its school."), field="school")
    if "members" in data:
        members = list(data["members"] or [])
    else:
        members = list(group.members.all()) if group is not None else []
    on = _value(data, group, "formed_on") or timezone.localdate()
    enrolled = enrolled_at(school, members, on)
    strangers = [str(m) for m in members if m.pk not in enrolled]
    if strangers:
        raise InvalidInput(
            _("Not students of %(school)s: %(names)s.") % {"school": school.name, "names": "、".join(strangers)},
            field="members",
        )
    leader = _value(data, group, "leader")
    if leader is not None and leader.pk not in {m.pk for m in members}:
        raise GuardFailed(
            [
                Reason(
                    message=_(
                        "%(leader)s is not a member of the group; the leader is one of its students "
                        "(由品学兼优、管理能力强的学生担任组长)."
                    )
                    % {"leader": leader}
                )
            ],
            transition="update" if group else "create",
        )
    return data


def do_create_study_group(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> StudyGroup:
    prepared = check_study_group(data, None)
    with transaction.atomic():
        return services.do_create(StudyGroup, data=prepared, acting_user=acting_user, comment=comment)


def do_update_study_group(
    group: StudyGroup, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> StudyGroup:
    prepared = check_study_group(data, group)
    with transaction.atomic():
        return services.do_update(group, data=prepared, acting_user=acting_user, comment=comment)


def _log_data(data: Mapping[str, Any], log: StudyLog | None) -> dict[str, Any]:
    data = dict(data)
    group = _value(data, log, "group")
    if group is None:
        raise InvalidInput(_("Which study group?"), field="group")
    if log is not None and group != log.group:
        raise InvalidInput(_("A log entry stays with its group."), field="group")
    kept_by = _value(data, log, "kept_by") or group.leader
    if kept_by is None:
        raise InvalidInput(_("The group has no leader yet: name who kept the log."), field="kept_by")
    data["kept_by"] = kept_by
    member_ids = set(group.members.values_list("pk", flat=True))
    if kept_by.pk not in member_ids:
        raise InvalidInput(_("The log is kept by a member of the group."), field="kept_by")
    present = _value(data, log, "present") or 0
    if present > len(member_ids):
        raise InvalidInput(
            _("%(present)d present, but the group has %(members)d members.")
            % {"present": present, "members": len(member_ids)},
            field="present",
        )
    return data


def do_create_study_log(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> StudyLog:
    """One day of the leader's homework log (kept by the leader unless another member is named)."""
    prepared = _log_data(data, None)
    with transaction.atomic():
        return services.do_create(StudyLog, data=prepared, acting_user=acting_user, comment=comment)


def do_update_study_log(log: StudyLog, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> StudyLog:
    prepared = _log_data(data, log)
    with transaction.atomic():
        return services.do_update(log, data=prepared, acting_user=acting_user, comment=comment)


# --- reflections --------------------------------------------------------------------------------
def _reflection_data(data: Mapping[str, Any], reflection: Reflection | None) -> dict[str, Any]:
    data = dict(data)
    meeting = _value(data, reflection, "meeting")
    author = _value(data, reflection, "author")
    if meeting is None or author is None:
        return data  # the model's validation names the missing field
    if not Enrollment.objects.filter(student=author, school_class=meeting.school_class).exists():
        raise InvalidInput(
            _("%(author)s was not in %(class)s.") % {"author": author, "class": meeting.school_class}, field="author"
        )
    return data


def do_create_reflection(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Reflection:
    """A reflection by a student of the meeting's class (selected with the magazine issue it goes in)."""
    prepared = _reflection_data(data, None)
    with transaction.atomic():
        return services.do_create(Reflection, data=prepared, acting_user=acting_user, comment=comment)


def do_update_reflection(
    reflection: Reflection, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> Reflection:
    prepared = _reflection_data(data, reflection)
    with transaction.atomic():
        return services.do_update(reflection, data=prepared, acting_user=acting_user, comment=comment)


def do_create_publication(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> OutsidePublication:
    reflection = data.get("reflection")
    published_on = data.get("published_on")
    if reflection is not None and published_on is not None and published_on < reflection.written_on:
        raise InvalidInput(_("Published before it was written?"), field="published_on")
    with transaction.atomic():
        return services.do_create(OutsidePublication, data=data, acting_user=acting_user, comment=comment)


# --- registered poor students -------------------------------------------------------------------
def do_set_registered_poor(student: Student, *, flag: bool, reason: str, acting_user: Any) -> Student:
    """Flag a student as a registered poor student (建档立卡) or clear the flag, with the reason (audited)."""
    if not reason.strip():
        raise InvalidInput(_("Give the reason for the change (e.g. the registration document)."), field="reason")
    if student.is_registered_poor == flag:
        return student
    with transaction.atomic():
        return services.do_update(
            student, data={"is_registered_poor": flag}, acting_user=acting_user, comment=reason.strip()
        )


def _require_flagged(student: Any) -> None:
    if student is not None and not student.is_registered_poor:
        raise InvalidInput(
            _("%(student)s is not flagged as a registered poor student.") % {"student": student}, field="student"
        )


def do_create_aid(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> StudentAid:
    """Record aid for a registered poor student (the amount is positive yuan, two decimals)."""
    _require_flagged(data.get("student"))
    with transaction.atomic():
        return services.do_create(StudentAid, data=data, acting_user=acting_user, comment=comment)


def do_update_aid(aid: StudentAid, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> StudentAid:
    if "student" in data and data["student"] != aid.student:
        _require_flagged(data["student"])
    with transaction.atomic():
        return services.do_update(aid, data=data, acting_user=acting_user, comment=comment)


def do_create_result(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> StudentResult:
    _require_flagged(data.get("student"))
    with transaction.atomic():
        return services.do_create(StudentResult, data=data, acting_user=acting_user, comment=comment)


__all__ = [
    "OVERDUE_RULE",
    "check_study_group",
    "consultation_moved",
    "do_create_aid",
    "do_create_consultation",
    "do_create_publication",
    "do_create_reflection",
    "do_create_result",
    "do_create_study_group",
    "do_create_study_log",
    "do_delete_consultation",
    "do_record_callback",
    "do_set_registered_poor",
    "do_update_aid",
    "do_update_consultation",
    "do_update_reflection",
    "do_update_study_group",
    "do_update_study_log",
    "recompute_callback_deadline",
]
