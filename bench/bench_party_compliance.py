"""Bench: the organisational-life compliance of a township's branches for a year (PostgreSQL).

Builds, once per bench database, ``BRANCHES`` branches in one township, each with a committee of
three posts and a year of meetings (monthly theme days and committee meetings with the committee
present, quarterly general meetings and lectures, a December life meeting and review). Times:

- ``bare``: one GROUP BY over the meetings of those branches (org, kind, month → count): the raw
  facts every compliance figure is made of;
- ``compliance, every branch``: ``jiceng.party.life.compliance.compliance`` for each branch for
  the year — what the township matrix page computes (policies, committee posts, quorum per
  committee meeting, blocks);
- ``compliance, one branch``: the same for one branch (a branch's own compliance page).

Run: ``make bench BENCH=party_compliance`` or ``.venv/bin/python -m bench party_compliance``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from bench.common import Context, Result, marker, measure, set_marker, setup_django, timed

BRANCHES = 300
YEAR = 2025
MARKER = f"party_compliance:{BRANCHES}:{YEAR}"


def _build() -> list[Any]:
    from jiceng.core.testing import build_cast, load_seed_policies, make_id_number
    from jiceng.directory.models import Person
    from jiceng.party.life.models import Attendance, Meeting
    from jiceng.party.members.models import PartyMember
    from jiceng.party.models import OrgPosition, PartyOrg

    cast = build_cast()
    load_seed_policies()
    township = cast.area("燕店镇")
    if marker(MARKER):
        return list(PartyOrg.objects.filter(area=township, name__startswith="基准支部").order_by("pk"))
    orgs = PartyOrg.objects.bulk_create(
        [PartyOrg(name=f"基准支部{i}", level="branch", kind="village", area=township) for i in range(BRANCHES)]
    )
    persons = Person.objects.bulk_create(
        [
            Person(name=f"委员{i}", id_number=make_id_number(birth.strftime("%Y%m%d"), 7), area=township)
            for i, birth in enumerate(dt.date(1970, 1, 1) + dt.timedelta(days=n) for n in range(BRANCHES * 3))
        ]
    )
    members = []
    for index, org in enumerate(orgs):
        for person in persons[3 * index : 3 * index + 3]:
            members.append(
                PartyMember(person=person, org=org, area=township, stage="full", full_on=dt.date(2010, 7, 1))
            )
    members = PartyMember.objects.bulk_create(members)
    OrgPosition.objects.bulk_create(
        [
            OrgPosition(
                org=m.org,
                person=m.person,
                role="secretary" if i % 3 == 0 else "committee_member",
                started_on=dt.date(2020, 1, 1),
            )
            for i, m in enumerate(members)
        ]
    )
    meetings = []
    for org in orgs:
        for month in range(1, 13):
            meetings.append(
                Meeting(
                    org=org,
                    area=township,
                    kind="theme_day",
                    held_on=dt.date(YEAR, month, 10),
                    topic="主题党日",
                    hours=Decimal(2),
                )
            )
            meetings.append(
                Meeting(
                    org=org, area=township, kind="committee_meeting", held_on=dt.date(YEAR, month, 5), topic="支委会"
                )
            )
            if month % 3 == 0:
                meetings.append(
                    Meeting(
                        org=org,
                        area=township,
                        kind="general_meeting",
                        held_on=dt.date(YEAR, month, 20),
                        topic="党员大会",
                    )
                )
                meetings.append(
                    Meeting(
                        org=org, area=township, kind="party_lecture", held_on=dt.date(YEAR, month, 25), topic="党课"
                    )
                )
        meetings.append(
            Meeting(org=org, area=township, kind="life_meeting", held_on=dt.date(YEAR, 12, 18), topic="组织生活会")
        )
        meetings.append(
            Meeting(org=org, area=township, kind="member_review", held_on=dt.date(YEAR, 12, 19), topic="民主评议")
        )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=5000)
    by_org: dict[int, list[Any]] = {}
    for member in members:
        by_org.setdefault(member.org_id, []).append(member)
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, member=member, status="present")
            for meeting in meetings
            if meeting.kind == "committee_meeting"
            for member in by_org[meeting.org_id]
        ],
        batch_size=5000,
    )
    set_marker(MARKER, "built")
    return orgs


def run(ctx: Context) -> list[Result]:
    setup_django()
    from django.db import connection

    from jiceng.party.life.compliance import compliance

    orgs = _build()
    ids = [org.pk for org in orgs]
    start, end, today = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), dt.date(YEAR + 1, 1, 15)
    repeat, warmup = min(ctx.repeat, 5), min(ctx.warmup, 1)

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT org_id, kind, date_trunc('month', held_on), count(*) FROM party_life_meeting "
                "WHERE org_id = ANY(%s) AND held_on BETWEEN %s AND %s GROUP BY 1, 2, 3",
                [ids, start, end],
            )
            cursor.fetchall()

    def every_branch() -> None:
        for org in orgs:
            rows = compliance(org, start=start, end=end, today=today)
            assert not any(row.missing for row in rows), org

    def one_branch() -> None:
        compliance(orgs[0], start=start, end=end, today=today)

    base = timed(
        "bare GROUP BY of the meetings",
        measure(bare, repeat=repeat, warmup=warmup),
        note=f"{len(orgs)} branches, a year",
    )
    return [
        base,
        timed(
            f"compliance, every branch ({len(orgs)})",
            measure(every_branch, repeat=repeat, warmup=warmup),
            baseline=base,
        ),
        timed("compliance, one branch", measure(one_branch, repeat=repeat, warmup=warmup), baseline=base),
    ]
