"""Demo members of 张鲁回族镇: full members in every branch and a development pipeline.

The figures of catalogue P01 are demo data (constants here, never in code paths): in April of
the demo year the township trained 140+ activists, and in the first half-year 26 probationary
members were admitted with an average age of 35. Everything else (branch sizes, the spread of
the pipeline, the few overdue cases that make the alerts show) is made up around them.
All dates are relative to the current year, so the demo never ages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import DEMO_COUNTY_CODE, DEMO_TOWNSHIP_CODE
from jiceng.directory.models import Person
from jiceng.party.members import models as m
from jiceng.party.members.models import DuesCategory, PartyMember, Stage
from jiceng.party.members.rules import add_months, age_on
from jiceng.party.members.services import scan_development
from jiceng.party.models import OrgKind, OrgLevel, PartyOrg
from jiceng.party.selectors import positions_on

# Catalogue P01 (seed 002, 张鲁回族镇): "今年4月…140余名入党积极分子进行培训，上半年共完成接收预备党员26名，平均年龄35岁".
ACTIVISTS_TRAINED_IN_APRIL = 142
ADMITTED_FIRST_HALF = 26
ADMITTED_AVERAGE_AGE = 35
# Made-up spread around those figures.
FULL_MEMBERS_PER_BRANCH = (8, 30)
FULL_MEMBERS_PER_ENTERPRISE_BRANCH = (3, 9)
APPLICANTS = 30
APPLICANTS_WITHOUT_TALK = 3  # applied more than a month ago, nobody talked to them: alerts
CANDIDATES = 16
PROBATIONARY_LAST_YEAR = 18
ACTIVISTS_MISSING_A_REVIEW = 4
EXTENDED, CANCELLED = 0, 1  # indexes among last year's probationary members
OVERDUE_CONVERSIONS = (2, 3)
MENTORING_ACTIVITIES = 3
TALKERS = ["支部书记", "组织委员", "支部副书记"]


def build(ctx: Any) -> None:
    if PartyMember.objects.filter(is_demo=True).exists():
        return
    today = timezone.localdate()
    year = today.year
    rng = ctx.rng
    demo_orgs = PartyOrg.objects.filter(is_demo=True)
    branches = list(
        demo_orgs.filter(level__in=[OrgLevel.BRANCH, OrgLevel.JOINT_BRANCH]).select_related("area").order_by("pk")
    )
    township = _township_path(ctx)
    if not branches:
        return
    taken: set[int] = set(PartyMember.objects.values_list("person_id", flat=True))
    people = _people_by_area(ctx, taken)
    members: list[PartyMember] = []

    everyone = [p for group in people.values() for p in group]

    def pick(org: PartyOrg, low: int, high: int) -> Person | None:
        """Someone of that age living in the branch's village, else anywhere in the township."""
        for pool in (people.get(org.area_id, []), everyone):
            fits = [i for i, p in enumerate(pool) if p.pk not in taken and low <= age_on(p.birth_date, today) <= high]
            if fits:
                person = pool.pop(rng.choice(fits))
                taken.add(person.pk)
                return person
        return None

    def member(org: PartyOrg, person: Person, stage: str, **dates: Any) -> PartyMember:
        record = PartyMember(person=person, org=org, area_id=org.area_id, is_demo=True, **dates)
        record.__dict__["stage"] = stage
        record.dues_category = _dues_category(org, person, today, rng)
        members.append(record)
        return record

    # Whoever holds a post in a demo organisation is one of its full members.
    for post in positions_on(on=today, org_ids=demo_orgs.values_list("pk", flat=True)).select_related("org", "person"):
        if post.person_id in taken or post.person.birth_date is None:
            continue
        taken.add(post.person_id)
        vote = min(max(add_months(post.person.birth_date, 22 * 12), dt.date(1985, 7, 1)), dt.date(year - 3, 7, 1))
        full = add_months(vote, 12)
        member(post.org, post.person, Stage.FULL, probationary_on=vote, probation_ends_on=full, full_on=full)

    villages = [
        org
        for org in branches
        if org.kind in (OrgKind.VILLAGE, OrgKind.COMMUNITY) and org.area.path.startswith(township)
    ] or branches
    # 26 admitted in the first half-year, average age 35 at the vote.
    admitted: list[PartyMember] = []
    total_age = 0
    for index in range(ADMITTED_FIRST_HALF):
        org = villages[index % len(villages)]
        remaining = ADMITTED_FIRST_HALF - index
        want = round((ADMITTED_AVERAGE_AGE * ADMITTED_FIRST_HALF - total_age) / remaining)
        vote = dt.date(year, 1 + index % 6, 8 + (index * 5) % 20)
        person = pick(org, want, want) or pick(org, want - 2, want + 2)
        if person is None:
            continue
        total_age += age_on(person.birth_date, vote)
        activist_on = dt.date(year - 2, 3 + index % 6, 10)
        admitted.append(
            member(
                org,
                person,
                Stage.PROBATIONARY,
                applied_on=add_months(activist_on, -7),
                activist_on=activist_on,
                candidate_on=add_months(activist_on, 13),
                probationary_on=vote,
                probation_ends_on=add_months(vote, 12),
            )
        )
    # Probationary members admitted last year: most converted, one extended, one cancelled, two
    # whose probation is over without a decision (alerts); the latest still on probation.
    extended: list[PartyMember] = []
    for index in range(PROBATIONARY_LAST_YEAR):
        org = villages[(index * 7) % len(villages)]
        person = pick(org, 24, 45)  # applied about four years ago: of age then
        if person is None:
            continue
        vote = dt.date(year - 1, 1 + index % 12, 12)
        activist_on = add_months(vote, -20)
        ends = add_months(vote, 12)
        dates = {
            "applied_on": add_months(activist_on, -6),
            "activist_on": activist_on,
            "candidate_on": add_months(vote, -5),
            "probationary_on": vote,
            "probation_ends_on": ends,
        }
        if ends >= today - dt.timedelta(days=20) or index in OVERDUE_CONVERSIONS:
            member(org, person, Stage.PROBATIONARY, **dates)
        elif index == EXTENDED:
            extended.append(
                member(org, person, Stage.PROBATIONARY, **{**dates, "probation_ends_on": add_months(ends, 6)})
            )
        elif index == CANCELLED:
            member(org, person, Stage.CANCELLED, **dates, left_on=ends)
        else:
            member(org, person, Stage.FULL, **dates, full_on=ends)
    # Activists: the April training batch (some named earlier, some this spring).
    activists: list[PartyMember] = []
    for index in range(ACTIVISTS_TRAINED_IN_APRIL):
        org = villages[index % len(villages)]
        person = pick(org, 21, 45)  # applied up to three years ago: of age then
        if person is None:
            continue
        activist_on = dt.date(year - 1 - index % 2, 1 + index % 12, 1 + index % 27)
        applied_on = add_months(activist_on, -rng.randint(6, 12))
        if age_on(person.birth_date, applied_on) < 18:
            applied_on = add_months(person.birth_date, 18 * 12 + 1)
            activist_on = max(activist_on, add_months(applied_on, 6))
        activists.append(member(org, person, Stage.ACTIVIST, applied_on=applied_on, activist_on=activist_on))
    candidates: list[PartyMember] = []
    for index in range(CANDIDATES):
        org = villages[(index * 3) % len(villages)]
        person = pick(org, 22, 45)
        if person is None:
            continue
        candidate_on = dt.date(year, 1 + index % 9, 15)
        activist_on = add_months(candidate_on, -14)
        candidates.append(
            member(
                org,
                person,
                Stage.CANDIDATE,
                applied_on=add_months(activist_on, -8),
                activist_on=activist_on,
                candidate_on=candidate_on,
            )
        )
    applicants: list[PartyMember] = []
    for index in range(APPLICANTS):
        org = villages[(index * 5) % len(villages)]
        person = pick(org, 19, 40)
        if person is None:
            continue
        applicants.append(member(org, person, Stage.APPLICANT, applied_on=today - dt.timedelta(days=10 + index * 6)))
    # Full members in every branch (after the pipeline, which takes the seed's figures first).
    for org in branches:
        span = FULL_MEMBERS_PER_ENTERPRISE_BRANCH if org.kind == OrgKind.NEW_ECONOMIC else FULL_MEMBERS_PER_BRANCH
        for _ in range(max(3, round(rng.randint(*span) * min(1.0, ctx.scale)))):
            person = pick(org, 25, 88)
            if person is None:
                break
            admitted_age = rng.randint(20, max(20, min(45, age_on(person.birth_date, today) - 1)))
            vote = _on_or_after(
                dt.date(person.birth_date.year + admitted_age, rng.randint(1, 12), rng.randint(1, 28)),
                person.birth_date,
            )
            vote = min(vote, dt.date(year - 2, 6, 30))
            member(
                org,
                person,
                Stage.FULL,
                probationary_on=vote,
                probation_ends_on=add_months(vote, 12),
                full_on=add_months(vote, 12),
            )

    do_bulk_create(PartyMember, members, acting_user=None, comment="demo data", validate=False)

    full_by_org: dict[int, list[PartyMember]] = {}
    for record in members:
        if record.stage == Stage.FULL:
            full_by_org.setdefault(record.org_id, []).append(record)
    _records(ctx, today, activists, candidates, applicants, admitted, full_by_org)
    do_bulk_create(
        m.ProbationExtension,
        [
            m.ProbationExtension(member=r, decided_on=add_months(r.probation_ends_on, -6), months=6, is_demo=True)
            for r in extended
        ],
        acting_user=None,
        comment="demo data",
        validate=False,
    )
    scan_development(today)
    ctx.figures["party members (full and probationary)"] = sum(
        1 for r in members if r.stage in (Stage.FULL, Stage.PROBATIONARY)
    )
    ctx.figures["development pipeline (applicants, activists, candidates)"] = (
        len(applicants) + len(activists) + len(candidates)
    )
    ctx.figures[f"admitted {year}-H1 (average age)"] = (
        f"{len(admitted)} ({round(total_age / len(admitted), 1) if admitted else '-'})"
    )


def _records(
    ctx: Any,
    today: dt.date,
    activists: list[PartyMember],
    candidates: list[PartyMember],
    applicants: list[PartyMember],
    admitted: list[PartyMember],
    full_by_org: dict[int, list[PartyMember]],
) -> None:
    rng = ctx.rng
    year = today.year
    talks, mentors, reviews, trainings, sponsors, political, pairings = [], [], [], [], [], [], []
    for index, record in enumerate(applicants):
        late = index >= len(applicants) - APPLICANTS_WITHOUT_TALK and (today - record.applied_on).days > 40
        if not late and (today - record.applied_on).days > 12:
            talks.append(
                m.ApplicationTalk(
                    member=record,
                    talked_on=record.applied_on + dt.timedelta(days=12),
                    talker=rng.choice(TALKERS),
                    is_demo=True,
                )
            )
    for index, record in enumerate(activists + candidates):
        full = full_by_org.get(record.org_id, [])
        talks.append(
            m.ApplicationTalk(
                member=record,
                talked_on=record.applied_on + dt.timedelta(days=14),
                talker=rng.choice(TALKERS),
                is_demo=True,
            )
        )
        for mentor in rng.sample(full, min(len(full), 1 + index % 2)):
            mentors.append(
                m.Mentor(
                    member=record, mentor=mentor, assigned_on=record.activist_on + dt.timedelta(days=10), is_demo=True
                )
            )
        day = record.activist_on
        end = record.candidate_on or today
        skip_last = record.stage == Stage.ACTIVIST and index < ACTIVISTS_MISSING_A_REVIEW
        periods = []
        while add_months(day, 6) <= end:
            periods.append(add_months(day, 6) - dt.timedelta(days=5))
            day = add_months(day, 6)
        if skip_last and periods:
            periods.pop()
        reviews += [
            m.ActivistReview(member=record, reviewed_on=d, conclusion="表现良好，继续培养", is_demo=True)
            for d in periods
        ]
        if record.stage == Stage.ACTIVIST:
            trainings.append(
                m.Training(
                    member=record,
                    course=f"{year}年入党积极分子培训班",
                    started_on=dt.date(year, 4, 14),
                    ended_on=dt.date(year, 4, 15),
                    days=2,
                    hours=16,
                    is_demo=True,
                )
            )
    for index, record in enumerate(candidates[: len(candidates) // 2]):
        full = full_by_org.get(record.org_id, [])
        sponsors += [
            m.Sponsor(member=record, sponsor=s, since=record.candidate_on, is_demo=True)
            for s in rng.sample(full, min(2, len(full)))
        ]
        political.append(
            m.PoliticalReview(
                member=record,
                concluded_on=record.candidate_on + dt.timedelta(days=20),
                conclusion="经函调和本人档案审查，政治合格",
                passed=True,
                is_demo=True,
            )
        )
        if index % 2 == 0:
            trainings.append(
                m.Training(
                    member=record,
                    course=f"{year}年发展对象培训班",
                    started_on=dt.date(year, 9, 22),
                    ended_on=dt.date(year, 9, 24),
                    days=3,
                    hours=24,
                    is_demo=True,
                )
            )
    for record in admitted:
        full = full_by_org.get(record.org_id, [])
        if full:
            pairings.append(
                m.MentorPairing(
                    member=record,
                    mentor=rng.choice(full),
                    started_on=record.probationary_on,
                    ends_on=add_months(record.probationary_on, 36),
                    is_demo=True,
                )
            )
    for model, rows in [
        (m.ApplicationTalk, talks),
        (m.Mentor, mentors),
        (m.ActivistReview, reviews),
        (m.Training, trainings),
        (m.Sponsor, sponsors),
        (m.PoliticalReview, political),
        (m.MentorPairing, pairings),
    ]:
        do_bulk_create(model, rows, acting_user=None, comment="demo data", validate=False)
    activities = [
        m.MentoringActivity(pairing=p, held_on=add_months(p.started_on, k + 1), summary=summary, is_demo=True)
        for p in pairings
        for k, summary in enumerate(
            ["谈心谈话，制定成长计划", "一起参加主题党日", "结对走访困难群众"][:MENTORING_ACTIVITIES]
        )
        if add_months(p.started_on, k + 1) <= today
    ]
    do_bulk_create(m.MentoringActivity, activities, acting_user=None, comment="demo data", validate=False)


def _township_path(ctx: Any) -> str:
    return ctx.area(DEMO_TOWNSHIP_CODE).path


def _people_by_area(ctx: Any, taken: set[int]) -> dict[int, list[Person]]:
    """People of the demo county by area (the township's branches, the park, the health bureau)."""
    by_area: dict[int, list[Person]] = {}
    persons = Person.objects.filter(area__path__startswith=ctx.area(DEMO_COUNTY_CODE).path, birth_date__isnull=False)
    for person in persons.only("pk", "area_id", "birth_date", "name").order_by("pk"):
        if person.pk not in taken:
            by_area.setdefault(person.area_id, []).append(person)
    return by_area


def _dues_category(org: PartyOrg, person: Person, today: dt.date, rng: Any) -> str:
    age = age_on(person.birth_date, today)
    if age >= 60:
        return (
            DuesCategory.RETIRED
            if org.kind in (OrgKind.ORGAN, OrgKind.NEW_ECONOMIC) or rng.random() < 0.3
            else DuesCategory.FARMER
        )
    if org.kind in (OrgKind.ORGAN, OrgKind.NEW_ECONOMIC):
        return DuesCategory.SALARIED
    if age < 24 and rng.random() < 0.3:
        return DuesCategory.STUDENT
    return DuesCategory.FARMER if rng.random() < 0.75 else DuesCategory.SALARIED


def _on_or_after(day: dt.date, birth: dt.date) -> dt.date:
    return max(day, add_months(birth, 18 * 12 + 1))
