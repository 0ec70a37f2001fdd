"""The allocation demo builds on the base demo at a small scale, publishes one run, and a second run adds nothing."""

import random

import pytest

from jiceng.core.policies.services import do_load_policies, read_seed_file
from jiceng.demo import DEMO_APPS, DemoContext
from jiceng.education import demo as base_demo
from jiceng.education.allocation import demo
from jiceng.education.allocation.matching import blocking_pairs
from jiceng.education.allocation.models import AllocationRun, CatchmentZone, EnrolmentPlan, IntakeRecord, Placement

pytestmark = pytest.mark.django_db
SCALE = 0.02


def counts():
    return tuple(m.objects.count() for m in (CatchmentZone, EnrolmentPlan, AllocationRun, Placement, IntakeRecord))


def test_demo_builds_and_is_idempotent():
    assert DEMO_APPS.index("education.allocation") > DEMO_APPS.index("education")
    ctx = DemoContext(scale=SCALE, rng=random.Random(7))
    for label in ["directory", "accounts"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    do_load_policies(read_seed_file(), acting_user=None)
    base_demo.build(ctx)
    demo.build(ctx)
    published = AllocationRun.objects.get(is_demo=True, state="published")
    assert published.applicant_count == round(demo.COHORT_AT_SCALE_1 * SCALE)
    assert AllocationRun.objects.filter(is_demo=True, base_run=published).count() == 1
    # every village of the district is in a grade-1 zone
    district = ctx.area(demo.DISTRICT_CODE)
    zoned = set(CatchmentZone.objects.filter(grade=1).values_list("villages", flat=True))
    villages = set(
        __import__("jiceng.directory.models", fromlist=["Area"])
        .Area.objects.filter(path__startswith=district.path, level="village")
        .values_list("pk", flat=True)
    )
    assert villages <= zoned
    # the first round is stable: nobody placed by preference has a blocking school
    placements = list(published.placements.order_by("index"))
    ids = sorted({s for p in placements for s in p.preferences} | {int(k) for k in published.capacity_snapshot})
    index = {s: i for i, s in enumerate(ids)}
    first_round = [index[p.school_id] if p.via == "preference" else -1 for p in placements]
    n = len(placements)
    from jiceng.education.allocation.engine import ApplicantInput, tier_at
    from jiceng.education.allocation.services import resident_schools

    residents = resident_schools(published.zones_snapshot)
    order = published.tier_order.split(">")
    keys = [
        [
            tier_at(ApplicantInput(p.home_area_id, "", p.preferences), s, residents, order) * n + p.lottery
            for s in p.preferences
        ]
        for p in placements
    ]
    capacities = [published.capacity_of(s) for s in ids]
    assert blocking_pairs([[index[s] for s in p.preferences] for p in placements], keys, capacities, first_round) == []
    # E13 figures for the named schools
    import json

    data = json.loads(demo.DATA.read_text(encoding="utf-8"))
    for entry in data["schools"]:
        stored = dict(IntakeRecord.objects.filter(school__name=entry["name"]).values_list("year", "admitted"))
        assert stored == {int(year): admitted for year, admitted in entry["admitted"].items()}
    before = counts()
    demo.build(ctx)
    assert counts() == before
