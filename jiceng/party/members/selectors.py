"""Reads of party members shared by the other party apps, and the reserve-pool figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet

from jiceng.party.members.models import PartyMember, Stage
from jiceng.party.members.rules import age_on

MEMBER_STAGES = (Stage.PROBATIONARY, Stage.FULL)
PIPELINE_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE)
AGE_BANDS = [(0, 25), (26, 30), (31, 35), (36, 40), (41, 45), (46, 200)]


def members_of(org_or_orgs: Any, *, on: dt.date, stages: Iterable[str] = MEMBER_STAGES) -> QuerySet[PartyMember]:
    """The records of one organisation (or several) at ``stages`` on date ``on``: admitted on or
    before it (the stage's own date), not left, membership active."""
    orgs = org_or_orgs if isinstance(org_or_orgs, list | tuple | set | QuerySet) else [org_or_orgs]
    stages = list(stages)
    admitted = Q()
    for stage in stages:
        date_field = {
            Stage.APPLICANT: "applied_on",
            Stage.ACTIVIST: "activist_on",
            Stage.CANDIDATE: "candidate_on",
            Stage.PROBATIONARY: "probationary_on",
            Stage.FULL: "probationary_on",
        }.get(stage)
        clause = Q(stage=stage)
        if date_field:
            clause &= Q(**{f"{date_field}__lte": on}) | Q(**{f"{date_field}__isnull": True})
        admitted |= clause
    return PartyMember.objects.filter(org__in=orgs, status="active").filter(admitted).exclude(left_on__lte=on)


def pool_figures(queryset: QuerySet[PartyMember], *, on: dt.date) -> dict[str, Any]:
    """The reserve pool (党员发展后备库): counts by stage, branch and age band on ``on``."""
    rows = list(queryset.filter(stage__in=PIPELINE_STAGES).values_list("stage", "org__name", "person__birth_date"))
    by_stage = Counter(stage for stage, _, _ in rows)
    by_org: dict[str, Counter[str]] = {}
    by_age: Counter[str] = Counter()
    for stage, org, birth in rows:
        by_org.setdefault(org, Counter())[stage] += 1
        if birth:
            age = age_on(birth, on)
            label = next(f"{a}–{b}" if b < 200 else f"{a}+" for a, b in AGE_BANDS if a <= age <= b)
            by_age[label] += 1
    return {
        "total": len(rows),
        "by_stage": [(stage.value, stage.label, by_stage.get(stage.value, 0)) for stage in PIPELINE_STAGES],
        "by_org": sorted(((org, [c.get(s.value, 0) for s in PIPELINE_STAGES]) for org, c in by_org.items())),
        "by_age": [
            (label, by_age.get(label, 0)) for label in (f"{a}–{b}" if b < 200 else f"{a}+" for a, b in AGE_BANDS)
        ],
    }


def admissions(queryset: QuerySet[PartyMember], *, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Probationary members admitted (branch vote) in [start, end], with their average age at the vote."""
    rows = list(
        queryset.filter(probationary_on__gte=start, probationary_on__lte=end).values_list(
            "probationary_on", "person__birth_date"
        )
    )
    ages = [age_on(birth, day) for day, birth in rows if birth]
    average = (Decimal(sum(ages)) / len(ages)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if ages else None
    return {"start": start, "end": end, "count": len(rows), "average_age": average}
