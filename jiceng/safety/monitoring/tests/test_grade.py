"""Major hazard source grades (GB 18218 / 暂行规定附件1): R = α·Σβq/Q and the grade edges."""

from decimal import Decimal

import pytest
from django.utils import timezone

from jiceng.core.audit import history
from jiceng.core.policies.services import do_create_policy
from jiceng.safety.monitoring import services
from jiceng.safety.monitoring.models import MajorHazardSource
from jiceng.safety.monitoring.tests.factories import make_source, substance

pytestmark = pytest.mark.django_db


def grade(safety_cast, holdings, population):
    area = safety_cast.area("燕店镇")
    pairs = [(substance(name), Decimal(str(q))) for name, q in holdings]
    return services.compute_grade(pairs, population, area_path=area.path, on=timezone.localdate())


@pytest.mark.parametrize(
    ("population", "alpha"),
    [
        (0, "0.5"),
        (1, "1.0"),
        (29, "1.0"),
        (30, "1.2"),
        (49, "1.2"),
        (50, "1.5"),
        (99, "1.5"),
        (100, "2.0"),
        (5000, "2.0"),
    ],
)
def test_alpha_follows_the_population_bands(safety_cast, population, alpha):
    assert grade(safety_cast, [("氯", 10)], population).alpha == Decimal(alpha)


def test_r_value_of_a_chlorine_tank_farm(safety_cast):
    # 20 t of chlorine (Q 5 t, β 4), 60 people: R = 1.5 × 4 × 20/5 = 24 → grade 3
    result = grade(safety_cast, [("氯", 20)], 60)
    assert (result.ratio, result.r_value, result.grade, result.is_major) == (Decimal("4"), Decimal("24.00"), 3, True)
    assert "R = α·Σβq/Q = 1.5×(4×20/5) = 24.00" in result.explain()


@pytest.mark.parametrize(
    ("tonnes", "expected"), [("62.5", 1), ("62.49", 2), ("31.25", 2), ("31.24", 3), ("6.25", 3), ("6.24", 4)]
)
def test_grade_edges_are_inclusive(safety_cast, tonnes, expected):
    # α 2.0 (≥100 people), chlorine β 4, Q 5 t: R = 1.6 q
    assert grade(safety_cast, [("氯", tonnes)], 150).grade == expected


def test_category_factors_apply_to_unlisted_substances(safety_cast):
    # LPG is a flammable gas (β 1.5), methanol another chemical (β 1): 1.0 × (1.5×100/50 + 1×600/500)
    result = grade(safety_cast, [("液化石油气", 100), ("甲醇", 600)], 10)
    assert result.r_value == Decimal("4.20") and result.grade == 4
    assert {p.key for p in result.policies} >= {
        "safety.major_hazard.beta_flammable_gas",
        "safety.major_hazard.beta_other",
        "safety.major_hazard.alpha_band4",
    }


def test_below_the_identification_threshold_is_not_a_major_hazard_source(safety_cast):
    result = grade(safety_cast, [("氯", "4.99")], 150)
    assert not result.is_major and result.grade is None
    assert grade(safety_cast, [("氯", 5)], 150).is_major


def test_a_local_policy_moves_the_edge(safety_cast):
    county = safety_cast.area("莘县")
    assert grade(safety_cast, [("氯", 30)], 150).grade == 3  # R = 48
    do_create_policy(
        data={
            "key": "safety.major_hazard.grade2_min_r",
            "name": "重大危险源二级R值下限（试行）",
            "value_type": "decimal",
            "value": "45",
            "area_code": county.code,
            "area_path": county.path,
            "effective_from": timezone.localdate(),
            "source_document": "县应急局试行通知",
            "source_status": "local",
        },
        acting_user=None,
    )
    assert grade(safety_cast, [("氯", 30)], 150).grade == 2


def test_the_stored_grade_follows_every_change_and_is_audited(safety_cast):
    source = make_source(safety_cast.area("燕店镇"), population_500m=150)
    assert source.grade is None
    row = services.do_set_substance(source, substance=substance("氯"), quantity_t=Decimal("70"), acting_user=None)
    source.refresh_from_db()
    assert (source.grade, source.r_value) == (1, Decimal("112.00"))
    services.do_set_substance(source, substance=substance("氯"), quantity_t=Decimal("10"), acting_user=None)
    source.refresh_from_db()
    assert source.grade == 3
    services.do_update_source(source, data={"population_500m": 0}, acting_user=None)
    source.refresh_from_db()
    assert (source.grade, source.r_value) == (4, Decimal("4.00"))
    services.do_remove_substance(row, acting_user=None)
    source.refresh_from_db()
    assert source.grade is None and source.quantity_ratio == 0
    comments = [entry.comment for entry in history(MajorHazardSource.objects.get(pk=source.pk))]
    assert any("R = α·Σβq/Q" in c for c in comments)


def test_a_quantity_must_be_positive(safety_cast):
    from jiceng.core.errors import InvalidInput

    source = make_source(safety_cast.area("燕店镇"))
    with pytest.raises(InvalidInput):
        services.do_set_substance(source, substance=substance("氯"), quantity_t=Decimal("0"), acting_user=None)
    assert not source.substances.exists()


def test_sources_api_shows_grade_and_r_value(safety_cast, api):
    source = make_source(safety_cast.area("燕店镇"), population_500m=150)
    services.do_set_substance(source, substance=substance("氯"), quantity_t=Decimal("70"), acting_user=None)
    body = api(safety_cast.township_staff).get(f"/api/v1/safety/sources/{source.pk}/").json()
    assert body["grade"] == 1 and body["r_value"] == "112.00"
    assert body["substances"][0]["substance_name"] == "氯"
    assert body["grade_explanation"].startswith("R = α·Σβq/Q = 2×(4×70/5) = 112.00")
    listed = api(safety_cast.township_staff).get("/api/v1/safety/sources/", {"grade": 1}).json()["results"]
    assert [row["id"] for row in listed] == [source.pk]
