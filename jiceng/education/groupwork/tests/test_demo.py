"""The group-work demo builds on a few demo groups of the cast's 莘县 and is idempotent."""

import random
from decimal import Decimal

import pytest

from jiceng.core.policies.services import get_policy
from jiceng.education.groupwork import demo, selectors, services
from jiceng.education.groupwork.models import (
    BuildingProject,
    CourseResource,
    DiagnosisVisit,
    FundAllocation,
    FundSpending,
    GroupPlan,
)
from jiceng.education.groupwork.tests.factories import add_member, make_group
from jiceng.education.models import Campus, School
from jiceng.education.testing import make_school

pytestmark = pytest.mark.django_db


def demo_groups(cast):
    county = cast.area("莘县")
    groups = []
    for n, township in enumerate(("燕店镇", "古云镇")):
        lead = make_school(cast.area(township), name=f"演示实验小学{n}", is_demo=True)
        group = make_group(county, lead_school=lead, name=f"演示实验小学{n}教育集团", is_demo=True)
        add_member(group, make_school(cast.area(township), name=f"演示成员小学{n}", is_demo=True))
        groups.append(group)
    lead = make_school(cast.area("燕店镇"), name="演示实验中学", stage="junior", is_demo=True)
    Campus.objects.create(school=lead, name=demo.DIAGNOSED_CAMPUS, area=cast.area("东村"), is_demo=True)
    groups.append(make_group(county, lead_school=lead, name="演示实验中学教育集团", is_demo=True))
    return groups


def run(seed=7):
    from jiceng.demo import DemoContext

    ctx = DemoContext(scale=0.05, rng=random.Random(seed))
    demo.build(ctx)
    return ctx


def test_the_demo_builds_and_is_idempotent(education_cast, media):
    groups = demo_groups(education_cast)
    ctx = run()
    assert ctx.figures["group plans"] == len(groups)
    assert GroupPlan.objects.get(group=groups[2]).template.key == "education.group.five_same"
    for plan in GroupPlan.objects.all():
        summary = selectors.plan_summary(plan)
        assert summary["schools"] == len(services.member_schools(plan.group))
        assert 0 < summary["done"] <= summary["applicable"]
    campus_visits = DiagnosisVisit.objects.filter(visited_campus__name=demo.DIAGNOSED_CAMPUS)
    assert campus_visits.count() >= 3  # the research team goes regularly
    assert CourseResource.objects.count() >= 2 * len(groups)
    for resource in CourseResource.objects.all():
        assert (media / resource.file.name).stat().st_size == resource.size_bytes < 10_000
    low = get_policy(services.FUND_MIN, area_path=groups[0].area.path).value
    high = get_policy(services.FUND_MAX, area_path=groups[0].area.path).value
    for allocation in FundAllocation.objects.all():
        assert low <= allocation.amount_yuan <= high
        assert selectors.allocation_balance(allocation)["balance"] >= 0
    uses = get_policy(services.ELIGIBLE_USES, area_path=groups[0].area.path).value.split(",")
    assert set(FundSpending.objects.values_list("use", flat=True)) <= set(uses)
    counts = {m: m.objects.count() for m in (GroupPlan, DiagnosisVisit, CourseResource, FundSpending)}
    second = run(seed=8)
    assert "nothing added" in second.figures["group work"]
    assert {m: m.objects.count() for m in counts} == counts


def test_the_building_programme_adds_up_to_the_seed_totals(education_cast, media):
    """东昌府区 is not in the cast's tree: build its programme on a stand-in district."""
    import json

    spec = json.loads(demo.PROGRAMME.read_text(encoding="utf-8"))
    district = education_cast.area("古云镇")
    make_school(district, name="城区学校甲", is_demo=True)
    demo.building_programme(district, random.Random(3))
    totals = selectors.programme_totals(BuildingProject.objects.filter(area__path__startswith=district.path))
    assert totals["investment_yuan"] == Decimal(spec["investment_yuan"])
    assert totals["land_mu"] == Decimal(spec["land_mu"])
    assert totals["floor_area_m2"] == Decimal(spec["floor_area_m2"])
    assert totals["projects"] == spec["projects"] + spec["planned_schools_2020"]
    assert totals["planned_schools"] == spec["planned_schools_2020"]
    assert {r["planning_year"] for r in totals["by_year"]} == set(range(spec["first_year"], spec["last_year"] + 1))
    assert not School.objects.filter(name__startswith="东昌府区城区新建学校").exists()  # planned, not invented
