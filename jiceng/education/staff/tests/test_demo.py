"""The staff demo on the base education demo at a small scale: an approved 莘县 plan at the policy
quota with history, the group's draft plan, the recruitment totals of the seed, mentor pairs; a second
run adds nothing."""

import random

import pytest
from django.db.models import Sum

from jiceng.core.policies.services import do_load_policies, get_policy, read_seed_file
from jiceng.demo import DEMO_APPS, DemoContext
from jiceng.education import demo as base_demo
from jiceng.education.staff import demo, rules
from jiceng.education.staff.models import (
    MentorPair,
    RecruitmentPost,
    RecruitmentRound,
    RotationAssignment,
    RotationPlan,
)

SCALE = 0.02


@pytest.fixture
def built(db):
    ctx = DemoContext(scale=SCALE, rng=random.Random(7))
    for label in ["directory", "accounts"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    do_load_policies(read_seed_file(), acting_user=None)
    base_demo.build(ctx)
    demo.build(ctx)
    assert DEMO_APPS.index("education.staff") > DEMO_APPS.index("education")
    return ctx


def test_the_county_plans_meet_the_quota_and_rotate_with_history(built):
    county = RotationPlan.objects.filter(group__isnull=True, area__code=demo.COUNTY_CODE).order_by("year")
    assert [(p.year, p.status) for p in county] == [(y, "approved") for y in (*demo.HISTORY_YEARS, demo.PLAN_YEAR)]
    latest = county.last()
    figures = rules.plan_figures(latest)
    assert figures.quota_met and figures.exchanged >= figures.required > 0 and not figures.broken
    assert figures.directions["urban_to_rural"] and figures.directions["rural_to_urban"]
    group_plan = RotationPlan.objects.get(group__name=demo.FIRST_GROUP)
    assert group_plan.status == "draft"
    assert group_plan.assignments.filter(to_campus__isnull=False).count() >= 1


def test_the_recruitment_rounds_carry_the_seed_totals(built):
    recruited, established = base_demo.RECRUITED_2017_2020
    rounds = RecruitmentRound.objects.filter(area__code=demo.DISTRICT_CODE)
    assert sorted(rounds.values_list("year", flat=True)) == list(demo.RECRUITMENT_YEARS)
    posts = RecruitmentPost.objects.filter(recruitment_round__in=rounds)
    assert posts.aggregate(n=Sum("hired"))["n"] == recruited
    assert posts.filter(employment="established").aggregate(n=Sum("hired"))["n"] == established
    assert all(p.hired <= p.posts for p in posts)


def test_mentor_pairs_follow_the_mentee_rule(built):
    pairs = MentorPair.objects.select_related("mentee", "mentee__area")
    assert pairs.exists()
    for pair in pairs:
        years = get_policy(rules.MENTEE_MAX_YEARS, area_path=pair.mentee.area.path, on=pair.starts_on).value
        assert (pair.starts_on - pair.mentee.hired_on).days < years * 366
        assert pair.mentor_id != pair.mentee_id


def test_the_staff_demo_is_idempotent(built):
    counts = (RotationPlan.objects.count(), RotationAssignment.objects.count(), RecruitmentPost.objects.count(),
              MentorPair.objects.count())  # fmt: skip
    demo.build(built)
    assert (RotationPlan.objects.count(), RotationAssignment.objects.count(), RecruitmentPost.objects.count(),
            MentorPair.objects.count()) == counts  # fmt: skip
