"""Writes of organisational life: recording meetings with attendance, and the missing-meeting scan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.alerts.services import raise_alert, resolve_alert
from jiceng.core.errors import InvalidInput
from jiceng.party.life.compliance import blocks, compliance, frequency_policy
from jiceng.party.life.models import Attendance, AttendanceStatus, Meeting, MeetingKind
from jiceng.party.models import OrgLevel, PartyOrg

MISSING_RULE = "party.life.missing"  # + "." + kind


def _check_attendance(meeting: Meeting, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    org_ids = {meeting.org_id, *meeting.org.children.values_list("pk", flat=True)}
    clean = []
    seen = set()
    for row in rows:
        member = row["member"]
        if member.org_id not in org_ids:
            raise InvalidInput(
                _("%(member)s is not a member of %(org)s.") % {"member": member, "org": meeting.org}, field="attendance"
            )
        if member.pk in seen:
            raise InvalidInput(_("%(member)s is listed twice.") % {"member": member}, field="attendance")
        seen.add(member.pk)
        status = row.get("status", AttendanceStatus.PRESENT)
        if status not in AttendanceStatus.values:
            raise InvalidInput(_("Unknown attendance “%(status)s”.") % {"status": status}, field="attendance")
        made_up_on = row.get("made_up_on")
        if status != AttendanceStatus.PRESENT and not row.get("absence_reason"):
            raise InvalidInput(_("An absence needs its reason (%(member)s).") % {"member": member}, field="attendance")
        if made_up_on and (status != AttendanceStatus.EXCUSED or made_up_on < meeting.held_on):
            raise InvalidInput(
                _("Only an excused absence is made up, on or after the meeting (%(member)s).") % {"member": member},
                field="attendance",
            )
        clean.append({**row, "status": status})
    return clean


def do_record_meeting(
    *, data: Mapping[str, Any], attendance: Iterable[Mapping[str, Any]] = (), acting_user: Any
) -> Meeting:
    """Record a meeting and its attendance in one transaction (all or nothing)."""
    data = dict(data)
    held_on = data.get("held_on")
    if held_on and held_on > timezone.localdate():
        raise InvalidInput(_("A meeting is recorded once it has been held."), field="held_on")
    org = data["org"]
    if org.level == OrgLevel.GROUP and data.get("kind") not in (
        MeetingKind.GROUP_MEETING,
        MeetingKind.STUDY_SESSION,
        MeetingKind.OTHER_ACTIVITY,
    ):
        raise InvalidInput(_("A party group holds group meetings and study sessions."), field="kind")
    with transaction.atomic():
        meeting = services.do_create(Meeting, data=data, acting_user=acting_user)
        rows = _check_attendance(meeting, attendance)
        for row in rows:
            services.do_create(Attendance, data={**row, "meeting": meeting}, acting_user=acting_user)
    scan_org(meeting.org, on=timezone.localdate())
    return meeting


def do_set_attendance(meeting: Meeting, rows: Iterable[Mapping[str, Any]], *, acting_user: Any) -> None:
    """Replace the attendance of ``meeting`` (the attendance grid's save)."""
    with transaction.atomic():
        clean = _check_attendance(meeting, rows)
        existing = {a.member_id: a for a in meeting.attendance.all()}
        for row in clean:
            current = existing.pop(row["member"].pk, None)
            values = {
                k: row.get(k, "" if k == "absence_reason" else None) for k in ("status", "absence_reason", "made_up_on")
            }
            if current is None:
                services.do_create(
                    Attendance, data={**values, "meeting": meeting, "member": row["member"]}, acting_user=acting_user
                )
            else:
                services.do_update(current, data=values, acting_user=acting_user)
        for stale in existing.values():
            services.do_delete(stale, acting_user=acting_user)
    scan_org(meeting.org, on=timezone.localdate())


# --- the missing-meeting scan ------------------------------------------------------------------
def scan_org(org: PartyOrg, *, on: dt.date) -> int:
    """Raise an alert per kind whose last closed block had no (quorate) meeting; resolve the others."""
    raised = 0
    rows = compliance(org, start=dt.date(on.year - 1, 1, 1), end=on, today=on)
    for row in rows:
        rule_key = f"{MISSING_RULE}.{row.kind}"
        if row.policy is None:
            continue
        last_closed = [b for b in blocks(dt.date(on.year - 1, 1, 1), on, row.policy.value) if b[1] < on][-1:]
        missing = [b for b in row.missing if b in last_closed]
        if missing:
            first, last = missing[0]
            raise_alert(
                rule=rule_key,
                subject=org,
                severity="yellow",
                explanation=_("No %(kind)s was held from %(first)s to %(last)s: %(rule)s")
                % {"kind": row.label, "first": first, "last": last, "rule": row.policy.explain()},
                evidence={"policy": row.policy.key, "from": first.isoformat(), "to": last.isoformat()},
            )
            raised += 1
        else:
            resolve_alert(rule=rule_key, subject=org, comment=_("held, or no longer owed"))
    return raised


def scan_compliance(on: dt.date | None = None) -> dict[str, int]:
    """The daily scan: every branch and committee, every kind, the last closed period."""
    on = on or timezone.localdate()
    counts = {"organisations": 0, "alerts": 0}
    for org in PartyOrg.objects.exclude(level=OrgLevel.GROUP).filter(dissolved_on__isnull=True).select_related("area"):
        counts["organisations"] += 1
        counts["alerts"] += scan_org(org, on=on)
    return counts


__all__ = ["do_record_meeting", "do_set_attendance", "frequency_policy", "scan_compliance", "scan_org"]
