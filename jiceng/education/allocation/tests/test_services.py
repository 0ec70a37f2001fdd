"""Zones, capacities, runs, what-if runs and publication through the services."""

import pytest

from jiceng.core.errors import InvalidInput
from jiceng.core.policies.services import get_policy
from jiceng.core.workflow import GuardFailed
from jiceng.education.allocation import services
from jiceng.education.allocation.models import AllocationRun, Placement
from jiceng.education.allocation.tests.factories import make_plan
from jiceng.education.testing import make_school

pytestmark = pytest.mark.django_db


def cap_for(school, year=2026):
    return get_policy(
        "education.class_size_cap", area_path=school.area.path, on=services.school_year_start(school.area.path, year)
    ).value


def cohort(county, residents_a, residents_b, outsiders=0):
    cast = county["cast"]
    a, b, _c = county["schools"]
    rows = [
        {"name": f"东{i}", "home_area": cast.area("东村").pk, "preferences": [a.pk, b.pk]} for i in range(residents_a)
    ]
    rows += [
        {"name": f"西{i}", "home_area": cast.area("西村").code, "preferences": [a.pk, b.pk]} for i in range(residents_b)
    ]
    rows += [
        {"name": f"南{i}", "home_area": cast.area("南村").pk, "preferences": [a.pk, b.pk]} for i in range(outsiders)
    ]
    return rows


def test_capacity_is_classes_times_the_cap(county):
    a = county["schools"][0]
    plan = make_plan(a.area, school=make_school(a.area), planned_classes=3)
    assert services.plan_capacity(plan) == 3 * cap_for(plan.school)
    assert services.list_capacities(county["cast"].area("莘县"), 2026, 1)[a.pk] == cap_for(a)


def test_run_places_residents_first_and_respects_capacity(county):
    a, b, _c = county["schools"]
    cap = cap_for(a)
    run = services.do_create_run(
        area=county["cast"].area("莘县"),
        year=2026,
        grade=1,
        applicants=cohort(county, cap - 2, 4, outsiders=5),
        acting_user=county["cast"].county_admin,
        seed=11,
    )
    assert run.applicant_count == cap + 7 == Placement.objects.filter(run=run).count()
    at_a = Placement.objects.filter(run=run, school=a)
    assert at_a.count() == cap
    assert at_a.filter(name__startswith="东").count() == cap - 2  # every resident of 东村
    assert run.placed_count + run.unplaced_count == run.applicant_count
    west = Placement.objects.filter(run=run, name__startswith="西")
    assert west.filter(school__isnull=True).count() == 0  # A is full or B (their zone's school) admits them
    assert set(west.filter(school=b).values_list("tier", flat=True)) <= {1}
    for p in Placement.objects.filter(run=run).exclude(school=a):
        assert p.passed_over[0]["school"] == a.pk and p.passed_over[0]["reason"] == "full"
        last = at_a.order_by("-tier", "-lottery").first()
        assert (p.passed_over[0]["cutoff_tier"], p.passed_over[0]["cutoff_lottery"]) == (last.tier, last.lottery)


def test_same_seed_same_result_and_default_preferences(county):
    area = county["cast"].area("莘县")
    rows = [{"name": f"童{i}", "home_area": county["cast"].area("南村").pk} for i in range(8)]
    one = services.do_create_run(area=area, year=2026, grade=1, applicants=rows, acting_user=None, seed=5)
    two = services.do_create_run(area=area, year=2026, grade=1, applicants=rows, acting_user=None, seed=5)
    first = list(one.placements.values_list("lottery", "school"))
    assert first == list(two.placements.values_list("lottery", "school"))
    c = county["schools"][2]
    assert all(p.preferences == [c.pk] for p in one.placements.all())  # the zone's school (就近入学)


def test_bad_input_writes_nothing(county):
    area = county["cast"].area("莘县")
    limit = get_policy("education.allocation.max_preferences", area_path=area.path).value
    extra = [make_school(county["schools"][0].area).pk for _ in range(limit + 1)]
    with pytest.raises(InvalidInput):
        services.do_create_run(
            area=area,
            year=2026,
            grade=1,
            acting_user=None,
            applicants=[{"name": "甲", "home_area": county["cast"].area("东村").pk, "preferences": extra}],
        )
    with pytest.raises(InvalidInput):
        services.do_create_run(
            area=county["cast"].area("燕店镇"),
            year=2026,
            grade=1,
            acting_user=None,
            applicants=[{"name": "乙", "home_area": county["cast"].area("南村").pk}],
        )
    assert not AllocationRun.objects.exists() and not Placement.objects.exists()


def test_what_if_leaves_the_published_run_alone(county):
    a, _b, _c = county["schools"]
    cap = cap_for(a)
    admin = county["cast"].county_admin
    base = services.do_create_run(
        area=county["cast"].area("莘县"),
        year=2026,
        grade=1,
        applicants=cohort(county, cap, cap // 2, outsiders=3),
        acting_user=admin,
        seed=9,
    )
    base = services.do_publish_run(base, acting_user=admin)
    before = list(base.placements.values_list("index", "school", "tier", "lottery"))
    what_if = services.do_create_what_if(base, acting_user=admin, capacity_overrides={str(a.pk): cap * 2})
    assert what_if.base_run == base and what_if.state == "draft" and what_if.seed == base.seed
    assert list(base.placements.values_list("index", "school", "tier", "lottery")) == before
    base.refresh_from_db()
    assert base.state == "published" and base.capacity_overrides == {}
    moves = services.compare_runs(base, what_if)
    assert moves and all(m["after"] == a.pk for m in moves)
    # zones as what-if: 西村 joins 东村's zone — its residents become tier 1 at A
    east_zone = county["zones"][0]
    zoned = services.do_create_what_if(
        base,
        acting_user=admin,
        zone_overrides={
            str(east_zone.pk): {"villages": [county["cast"].area("东村").pk, county["cast"].area("西村").pk]}
        },
    )
    assert zoned.placements.filter(name__startswith="西", tier=1, school=a).exists()
    with pytest.raises(GuardFailed):
        services.do_publish_run(what_if, acting_user=admin)
    services.do_withdraw_run(base, acting_user=admin)
    assert services.do_publish_run(what_if, acting_user=admin).state == "published"
