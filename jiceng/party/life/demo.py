"""Demo organisational life: a year of meetings for the branches of 张鲁回族镇.

Every branch holds its theme day monthly, a general meeting and a party lecture each quarter,
committee meetings monthly where it has a committee, and last year's life meeting and member
review in December. A few branches skipped a meeting (so the compliance pages and alerts have
something to show), and the 东街村 branch runs weekly study sessions as well (the seed's
"40+ activities per branch per year", catalogue P05, is a demo figure here).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import DEMO_TOWNSHIP_CODE, DEMO_VILLAGE_CODE
from jiceng.party.life.models import Attendance, AttendanceStatus, Meeting, MeetingKind
from jiceng.party.life.services import scan_org
from jiceng.party.members.selectors import members_of
from jiceng.party.models import OrgLevel, PartyOrg
from jiceng.party.selectors import leadership_person_ids

ATTENDANCE_THEME_DAYS_DAYS = 92
SKIPPING_BRANCHES = 3  # branches that missed their last quarter's general meeting
ACTIVE_BRANCH_WEEKLY_STUDY = True  # 东街村: weekly study sessions on top of 三会一课
THEME_TOPICS = [
    "重温入党誓词，学习党章",
    "学习习近平新时代中国特色社会主义思想",
    "党员志愿服务：村庄环境整治",
    "学习乡村振兴政策，谈发展思路",
    "党员轮流上台分享学习体会",
    "走访慰问困难群众",
]
LECTURE_TOPICS = ["党史专题党课", "党的二十大精神专题党课", "基层治理专题党课", "廉洁自律专题党课"]
ABSENCE_REASONS = ["外出务工", "生病住院", "家中有事", "在外地学习"]


def build(ctx: Any) -> None:
    if Meeting.objects.filter(is_demo=True).exists():
        return
    today = timezone.localdate()
    rng = ctx.rng
    township = ctx.area(DEMO_TOWNSHIP_CODE)
    orgs = list(
        PartyOrg.objects.filter(
            is_demo=True, area__path__startswith=township.path, level__in=[OrgLevel.BRANCH, OrgLevel.JOINT_BRANCH]
        )
        .select_related("area")
        .order_by("pk")
    )
    if not orgs:
        return
    start = dt.date(today.year, 1, 1)
    meetings: list[Meeting] = []
    skipping = {org.pk for org in orgs[1 : 1 + SKIPPING_BRANCHES]}
    last_quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) - 2, 1) if today.month > 3 else None
    for org in orgs:
        committee = len(leadership_person_ids(org_ids=[org.pk], on=today)) >= 3

        def add(kind: str, day: dt.date, topic: str, hours: str = "1.0", org: PartyOrg = org) -> None:
            if day <= today:
                meetings.append(
                    Meeting(
                        org=org,
                        area_id=org.area_id,
                        kind=kind,
                        held_on=day,
                        topic=topic,
                        hours=Decimal(hours),
                        is_demo=True,
                    )
                )

        month = start
        index = 0
        while month <= today:
            add(
                MeetingKind.THEME_DAY,
                month.replace(day=10 + rng.randint(0, 8)),
                THEME_TOPICS[index % len(THEME_TOPICS)],
                "2.0",
            )
            if committee:
                add(MeetingKind.COMMITTEE_MEETING, month.replace(day=3 + rng.randint(0, 4)), "研究本月支部工作")
            if month.month % 3 == 0:
                skip = (
                    org.pk in skipping
                    and last_quarter_start is not None
                    and month.month == last_quarter_start.month + 2
                )
                if not skip:
                    add(
                        MeetingKind.GENERAL_MEETING,
                        month.replace(day=20 + rng.randint(0, 5)),
                        "支部党员大会：通报工作、讨论发展党员",
                    )
                add(MeetingKind.PARTY_LECTURE, month.replace(day=25), LECTURE_TOPICS[(month.month // 3 - 1) % 4], "2.0")
            month = (month + dt.timedelta(days=32)).replace(day=1)
            index += 1
        add(
            MeetingKind.LIFE_MEETING, dt.date(today.year - 1, 12, 18), "年度组织生活会：对照检查、批评与自我批评", "3.0"
        )
        add(
            MeetingKind.MEMBER_REVIEW,
            dt.date(today.year - 1, 12, 19),
            "民主评议党员：个人自评、党员互评、民主测评",
            "2.0",
        )
        if ACTIVE_BRANCH_WEEKLY_STUDY and org.area.code == DEMO_VILLAGE_CODE:
            day = start + dt.timedelta(days=4)
            while day <= today:
                add(MeetingKind.STUDY_SESSION, day, "周五集体学习", "1.0")
                day += dt.timedelta(days=7)
    do_bulk_create(Meeting, meetings, acting_user=None, comment="demo data", validate=False)

    rows: list[Attendance] = []
    by_org: dict[int, list[Any]] = {}
    committees: dict[int, set[int]] = {}
    for meeting in meetings:
        if meeting.kind not in (
            MeetingKind.THEME_DAY,
            MeetingKind.GENERAL_MEETING,
            MeetingKind.COMMITTEE_MEETING,
            MeetingKind.LIFE_MEETING,
        ):
            continue
        members = by_org.setdefault(meeting.org_id, list(members_of(meeting.org, on=today).select_related("person")))
        if meeting.kind == MeetingKind.COMMITTEE_MEETING:
            leaders = committees.setdefault(meeting.org_id, leadership_person_ids(org_ids=[meeting.org_id], on=today))
            members = [m for m in members if m.person_id in leaders]
        for member in members:
            draw = rng.random()
            if draw < 0.86 or meeting.kind == MeetingKind.COMMITTEE_MEETING:
                rows.append(Attendance(meeting=meeting, member=member, status=AttendanceStatus.PRESENT, is_demo=True))
            elif draw < 0.96:
                made_up = meeting.held_on + dt.timedelta(days=rng.randint(3, 20)) if rng.random() < 0.75 else None
                rows.append(
                    Attendance(
                        meeting=meeting,
                        member=member,
                        status=AttendanceStatus.EXCUSED,
                        absence_reason=rng.choice(ABSENCE_REASONS),
                        made_up_on=made_up if made_up and made_up <= today else None,
                        is_demo=True,
                    )
                )
            else:
                rows.append(
                    Attendance(
                        meeting=meeting,
                        member=member,
                        status=AttendanceStatus.ABSENT,
                        absence_reason="未请假",
                        is_demo=True,
                    )
                )
    do_bulk_create(Attendance, rows, acting_user=None, comment="demo data", validate=False)
    # The daily job scans every organisation; the demo scans those it made skip a meeting.
    for org in orgs:
        if org.pk in skipping:
            scan_org(org, on=today)
    ctx.figures["party meetings and activities"] = len(meetings)
    ctx.figures["meeting attendance rows"] = len(rows)
