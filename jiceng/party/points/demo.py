"""Demo points and star ratings in 张鲁回族镇.

A township points catalogue (笑脸积分, catalogue P03 — the article names the faces but no rules
or cut-offs, so these are made-up examples), a year of entries for the members of the first
village branches, and last year's star ratings of every village branch, awarded within quotas.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiceng.core.scoring.services import do_record_points
from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import DEMO_TOWNSHIP_CODE
from jiceng.party.members.selectors import members_of
from jiceng.party.models import OrgKind, OrgLevel, PartyOrg
from jiceng.party.points import services
from jiceng.party.points.models import PointsRule, Recorder, StarRating

RULES = [
    ("A1", "按时参加主题党日", "2", False, Recorder.BRANCH),
    ("A2", "参加志愿服务（每次）", "3", True, Recorder.BRANCH),
    ("A3", "带头参与人居环境整治", "3", True, Recorder.BRANCH),
    ("A4", "调解邻里纠纷", "5", True, Recorder.BRANCH),
    ("A5", "获镇级以上表彰", "10", True, Recorder.TOWNSHIP),
    ("B1", "无故缺席组织生活", "-5", False, Recorder.BRANCH),
    ("B2", "不按时交纳党费", "-5", False, Recorder.BRANCH),
]
POINTS_BRANCHES = 5  # village branches with a year of points
ENTRIES_PER_MEMBER = (2, 14)


def build(ctx: Any) -> None:
    if PointsRule.objects.filter(is_demo=True).exists():
        return
    rng = ctx.rng
    today = timezone.localdate()
    township = ctx.area(DEMO_TOWNSHIP_CODE)
    do_bulk_create(
        PointsRule,
        [
            PointsRule(
                area=township,
                code=code,
                name=name,
                points=Decimal(points),
                evidence_required=evidence,
                recorder=recorder,
                is_demo=True,
            )
            for code, name, points, evidence, recorder in RULES
        ],
        acting_user=None,
        comment="demo data",
    )
    villages = list(
        PartyOrg.objects.filter(
            is_demo=True, area__path__startswith=township.path, level=OrgLevel.BRANCH, kind=OrgKind.VILLAGE
        )
        .select_related("area")
        .order_by("area__code")
    )
    entries = 0
    for org in villages[:POINTS_BRANCHES]:
        for member in members_of(org, on=today).select_related("person", "area"):
            for _ in range(rng.randint(*ENTRIES_PER_MEMBER)):
                code, name, points, evidence, _recorder = rng.choices(RULES, weights=[8, 5, 4, 2, 1, 1, 1])[0]
                do_record_points(
                    member,
                    rule_key=code,
                    points=Decimal(points),
                    period=str(today.year),
                    evidence=f"{name}记录（演示）" if evidence else "",
                )
                entries += 1
    ctx.figures["party points entries"] = entries
    # Last year's star ratings, rated in February (the first quarter).
    rated_on = dt.date(today.year, 2, 20)
    ratings = []
    for org in villages:
        sheet = services.criteria()
        scores = {c["code"]: str(max(0, c["max"] - rng.randint(0, c["max"] // 2))) for c in sheet}
        evidence = {c["code"]: "支部台账、现场查看" for c in sheet}
        ratings.append(
            services.do_rate(org, year=today.year - 1, scores=scores, evidence=evidence, acting_user=None, on=rated_on)
        )
    awarded = services.do_award(ratings, acting_user=None, on=rated_on)
    StarRating.objects.filter(pk__in=[r.pk for r in awarded]).update(is_demo=True)  # demo marker only
    ctx.figures["star ratings (5/4/3 stars)"] = "/".join(
        str(sum(1 for r in awarded if r.stars == stars)) for stars in (5, 4, 3)
    )
