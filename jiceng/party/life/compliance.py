"""Which meetings an organisation owes in a period, which it held, which are missing.

A kind with frequency N months (policy ``party.life.<kind>_months``) is owed once in every
calendar block of N months (monthly, quarterly, yearly blocks starting in January). A block
counts as held when a meeting of that kind took place in it; a committee meeting counts only
when more than the policy's share of the committee was present (quorum). A block not yet over
is *open*, never missing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jiceng.core.errors import InvalidInput
from jiceng.core.policies.services import PolicyMissing, PolicyValue, get_policy
from jiceng.party.life.models import Attendance, AttendanceStatus, Meeting, MeetingKind
from jiceng.party.models import LEADERSHIP_ROLES, OrgLevel, OrgPosition, PartyOrg
from jiceng.party.selectors import leadership_person_ids

BRANCH_KINDS = [
    MeetingKind.GENERAL_MEETING,
    MeetingKind.COMMITTEE_MEETING,
    MeetingKind.GROUP_MEETING,
    MeetingKind.PARTY_LECTURE,
    MeetingKind.THEME_DAY,
    MeetingKind.LIFE_MEETING,
    MeetingKind.MEMBER_REVIEW,
]
COMMITTEE_KINDS = [MeetingKind.COMMITTEE_MEETING, MeetingKind.LIFE_MEETING, MeetingKind.ANNUAL_DEBRIEF]
BRANCH_LEVELS = (OrgLevel.BRANCH, OrgLevel.JOINT_BRANCH)
COMMITTEE_MIN_POSTS = 3  # a committee exists when at least three people hold committee posts (第九条: 3–5 members)


def frequency_policy(kind: str, org: PartyOrg, on: dt.date) -> PolicyValue:
    return get_policy(f"party.life.{kind}_months", area_path=org.area.path, on=on)


def parse_period(period: str) -> tuple[dt.date, dt.date]:
    """``2026`` / ``2026-Q3`` / ``2026-07`` → first and last day."""
    match = re.fullmatch(r"(\d{4})(?:-(?:Q([1-4])|(\d{2})))?", period or "")
    if not match:
        raise InvalidInput(_("A period is a year (2026), a quarter (2026-Q3) or a month (2026-07)."), field="period")
    year = int(match.group(1))
    if match.group(2):
        first_month = 3 * int(match.group(2)) - 2
        return dt.date(year, first_month, 1), _month_end(year, first_month + 2)
    if match.group(3):
        month = int(match.group(3))
        if not 1 <= month <= 12:
            raise InvalidInput(_("A month is 01–12."), field="period")
        return dt.date(year, month, 1), _month_end(year, month)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def blocks(start: dt.date, end: dt.date, months: int) -> list[tuple[dt.date, dt.date]]:
    """The calendar blocks of ``months`` months (aligned on January) that overlap [start, end]."""
    found = []
    month_index = (start.year * 12 + start.month - 1) // months * months
    while True:
        year, month = divmod(month_index, 12)
        first = dt.date(year, month + 1, 1)
        if first > end:
            return found
        last_year, last_month = divmod(month_index + months - 1, 12)
        found.append((first, _month_end(last_year, last_month + 1)))
        month_index += months


def required_kinds(org: PartyOrg, *, on: dt.date) -> list[str]:
    """The kinds of meeting this organisation owes."""
    if org.level == OrgLevel.GROUP:
        return []
    has_committee = len(leadership_person_ids(org_ids=[org.pk], on=on)) >= COMMITTEE_MIN_POSTS
    if org.level in BRANCH_LEVELS:
        kinds = list(BRANCH_KINDS)
        if not has_committee:
            kinds.remove(MeetingKind.COMMITTEE_MEETING)
        if not org.children.filter(level=OrgLevel.GROUP).exists():
            kinds.remove(MeetingKind.GROUP_MEETING)
        return kinds
    return list(COMMITTEE_KINDS)


def quorum(meeting: Meeting, *, committee: set[int] | None = None) -> tuple[bool, int, int, PolicyValue]:
    """(met, committee members present, committee size, policy) for a committee meeting."""
    rule = get_policy("party.life.committee_quorum_pct", area_path=meeting.org.area.path, on=meeting.held_on)
    committee = (
        committee if committee is not None else leadership_person_ids(org_ids=[meeting.org_id], on=meeting.held_on)
    )
    present = meeting.attendance.filter(status=AttendanceStatus.PRESENT, member__person_id__in=committee).count()
    size = len(committee)
    return present > Decimal(size) * Decimal(rule.value) / 100, present, size, rule


@dataclass
class KindCompliance:
    kind: str
    label: str
    policy: PolicyValue | None
    required: int = 0
    held: int = 0
    open: int = 0
    missing: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    not_quorate: list[Meeting] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "required": self.required,
            "held": self.held,
            "open": self.open,
            "missing": [{"from": a.isoformat(), "to": b.isoformat()} for a, b in self.missing],
            "not_quorate": [m.pk for m in self.not_quorate],
            "policy": self.policy.key if self.policy else None,
            "rule": self.policy.explain() if self.policy else _("no policy in force"),
        }


def compliance(org: PartyOrg, *, start: dt.date, end: dt.date, today: dt.date) -> list[KindCompliance]:
    """Per kind: blocks owed in [start, end], held, still open, missing (over and not held)."""
    meetings = list(
        Meeting.objects.filter(org=org, held_on__gte=start - dt.timedelta(days=366), held_on__lte=end).order_by(
            "held_on"
        )
    )
    rows = []
    posts = list(
        OrgPosition.objects.filter(org=org, role__in=LEADERSHIP_ROLES).values_list(
            "person_id", "started_on", "ended_on"
        )
    )

    def committee_on(day: dt.date) -> set[int]:
        return {p for p, since, until in posts if since <= day and (until is None or until > day)}

    # Who was present at each committee meeting, in one query (quorum is checked in Python).
    present: dict[int, set[int]] = {}
    committee_meetings = [m.pk for m in meetings if m.kind == MeetingKind.COMMITTEE_MEETING]
    if committee_meetings:
        rows_present = Attendance.objects.filter(
            meeting_id__in=committee_meetings, status=AttendanceStatus.PRESENT
        ).values_list("meeting_id", "member__person_id")
        for meeting_id, person_id in rows_present:
            present.setdefault(meeting_id, set()).add(person_id)

    def quorate(meeting: Meeting) -> bool:
        rule = get_policy("party.life.committee_quorum_pct", area_path=org.area.path, on=meeting.held_on)
        committee = committee_on(meeting.held_on)
        return len(present.get(meeting.pk, set()) & committee) > Decimal(len(committee)) * Decimal(rule.value) / 100

    for kind in required_kinds(org, on=min(end, today)):
        try:
            rule = frequency_policy(kind, org, min(end, today))
        except PolicyMissing:
            rows.append(KindCompliance(kind, str(MeetingKind(kind).label), None))
            continue
        row = KindCompliance(kind, str(MeetingKind(kind).label), rule)
        of_kind = [m for m in meetings if m.kind == kind]
        counted = []
        for meeting in of_kind:
            if kind == MeetingKind.COMMITTEE_MEETING and not quorate(meeting):
                row.not_quorate.append(meeting)
                continue
            counted.append(meeting.held_on)
        for first, last in blocks(start, end, rule.value):
            row.required += 1
            if any(first <= day <= last for day in counted):
                row.held += 1
            elif last >= today:
                row.open += 1
            else:
                row.missing.append((first, last))
        rows.append(row)
    return rows


def attendance_rate(org: PartyOrg, *, start: dt.date, end: dt.date) -> Decimal | None:
    """Share of expected attendances that were attended (present, or excused and made up), in %."""
    rows = Attendance.objects.filter(meeting__org=org, meeting__held_on__gte=start, meeting__held_on__lte=end)
    total = rows.count()
    if not total:
        return None
    attended = (
        rows.filter(status=AttendanceStatus.PRESENT).count()
        + rows.filter(status=AttendanceStatus.EXCUSED, made_up_on__isnull=False).count()
    )
    return (Decimal(attended) * 100 / total).quantize(Decimal("0.1"))
