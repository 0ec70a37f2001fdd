"""The supervision registry: standardisation grades and their expiry, resident supervision at key
enterprises, guidance logs, the coverage figures, pages, API and the demo's figures."""

import datetime as dt
import random

import pytest
import time_machine
from django.urls import reverse

from jiceng.core.alerts.models import Alert
from jiceng.core.errors import InvalidInput
from jiceng.directory.tests.factories import make_person
from jiceng.safety import selectors, services
from jiceng.safety.models import GuidanceLog, ResidentSupervision, SafetyProfile
from jiceng.safety.testing import make_enterprise, make_profile, make_sector
from jiceng.safety.tests.factories import make_resident_supervision

pytestmark = pytest.mark.django_db


def test_a_grade_expires_36_months_after_its_award(safety_cast):
    enterprise = make_enterprise(safety_cast.area("燕店镇"))
    profile = services.do_create_profile(
        data={"enterprise": enterprise, "safety_grade": "2", "grade_awarded_on": dt.date(2024, 2, 29)},
        acting_user=safety_cast.township_staff,
    )
    assert profile.grade_expires_on == dt.date(2027, 2, 28)  # calendar months, clipped to the month's end
    updated = services.do_update_profile(profile, data={"safety_grade": ""}, acting_user=safety_cast.township_staff)
    assert (updated.grade_expires_on, updated.grade_awarded_on) == (None, None)


def test_a_grade_needs_its_award_date_and_nothing_is_saved_without(safety_cast):
    enterprise = make_enterprise(safety_cast.area("燕店镇"))
    with pytest.raises(InvalidInput):
        services.do_create_profile(data={"enterprise": enterprise, "safety_grade": "3"}, acting_user=None)
    assert not SafetyProfile.objects.filter(enterprise=enterprise).exists()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-12-01", set()),  # more than three months before expiry
        ("2026-12-02", {"safety.standardisation_expiring"}),  # exactly three months before
        ("2027-03-01", {"safety.standardisation_expiring"}),  # the last valid day
        ("2027-03-02", {"safety.standardisation_expired"}),  # lapsed
    ],
)
def test_the_expiry_scan_on_both_sides_of_each_edge(safety_cast, today, expected):
    profile = make_profile(
        safety_cast.area("燕店镇"),
        safety_grade="3",
        grade_awarded_on=dt.date(2024, 3, 2),
        grade_expires_on=dt.date(2027, 3, 2),
    )
    with time_machine.travel(dt.datetime.fromisoformat(f"{today}T08:00:00+08:00"), tick=False):
        services.scan_grade_expiry(dt.date.fromisoformat(today))
    open_rules = set(
        Alert.objects.filter(object_id=str(profile.pk)).exclude(state="closed").values_list("rule", flat=True)
    )
    assert open_rules == expected
    if expected:
        explanation = Alert.objects.get(object_id=str(profile.pk), rule=next(iter(expected))).explanation
        assert "2027-03-02" in explanation and "36" in explanation


def test_recording_a_new_grade_closes_the_expiry_alert(safety_cast):
    profile = make_profile(
        safety_cast.area("燕店镇"),
        safety_grade="3",
        grade_awarded_on=dt.date(2023, 1, 1),
        grade_expires_on=dt.date(2026, 1, 1),
    )
    services.scan_grade_expiry(dt.date(2026, 6, 1))
    assert Alert.objects.get(object_id=str(profile.pk)).rule == "safety.standardisation_expired"
    services.do_update_profile(
        profile, data={"grade_awarded_on": dt.date(2026, 5, 20)}, acting_user=safety_cast.township_staff
    )
    assert Alert.objects.get(object_id=str(profile.pk)).state == "closed"


def test_supervisors_are_resident_at_key_enterprises_only(safety_cast):
    area = safety_cast.area("燕店镇")
    data = {"supervisor": make_person(area), "sector": make_sector(), "started_on": dt.date(2026, 1, 5)}
    with pytest.raises(InvalidInput):
        services.do_create_resident_supervision(
            data={**data, "enterprise": make_enterprise(area, is_key=False)}, acting_user=None
        )
    services.do_create_resident_supervision(data={**data, "enterprise": make_enterprise(area)}, acting_user=None)
    assert ResidentSupervision.objects.count() == 1


def test_a_guidance_visit_falls_inside_the_supervision(safety_cast):
    supervision = make_resident_supervision(
        safety_cast.area("燕店镇"), started_on=dt.date(2026, 3, 1), ended_on=dt.date(2026, 6, 1)
    )
    base = {"supervision": supervision, "summary": "督促完善规章制度", "rules_improved": 2}
    for day in (dt.date(2026, 2, 28), dt.date(2026, 6, 1)):
        with pytest.raises(InvalidInput):
            services.do_record_guidance(data={**base, "visited_on": day}, acting_user=None)
    for day in (dt.date(2026, 3, 1), dt.date(2026, 5, 31)):
        services.do_record_guidance(data={**base, "visited_on": day}, acting_user=None)
    assert GuidanceLog.objects.count() == 2


def test_coverage_counts_key_enterprises_with_a_current_supervisor(safety_cast):
    area = safety_cast.area("燕店镇")
    sector = make_sector()
    covered = [make_profile(area, sector=sector) for _ in range(3)]
    make_profile(area, sector=sector)  # a key enterprise nobody supervises
    make_profile(area, sector=sector, enterprise=make_enterprise(area, is_key=False))  # not key: not counted
    person = make_person(area)
    for profile in covered:
        supervision = make_resident_supervision(area, enterprise=profile.enterprise, supervisor=person, sector=sector)
        GuidanceLog.objects.create(
            supervision=supervision, visited_on=dt.date(2026, 3, 2), summary="x", rules_improved=2, trainings_held=1
        )
    ended = make_resident_supervision(area, enterprise=make_profile(area, sector=sector).enterprise, sector=sector,
                                      ended_on=dt.date(2026, 2, 1))  # fmt: skip
    figures = selectors.resident_supervision_coverage(safety_cast.township_staff, area.path, on=dt.date(2026, 6, 1))
    row = next(r for r in figures["rows"] if r["sector"] == sector)
    assert (row["key"], row["stationed"], str(row["coverage"]), row["supervisors"]) == (5, 3, "60.0", 1)
    assert (row["rules_improved"], row["trainings_held"], row["visits"]) == (6, 3, 3)
    assert ended.enterprise.is_key
    outsider = selectors.resident_supervision_coverage(safety_cast.outsider, area.path, on=dt.date(2026, 6, 1))
    assert outsider["totals"]["key"] == 0


def test_the_overview_page_and_the_api(safety_cast, client, api):
    area = safety_cast.area("燕店镇")
    profile = make_profile(area, sector=make_sector(), chemical_role="producer")
    make_resident_supervision(area, enterprise=profile.enterprise, sector=profile.sector)
    client.force_login(safety_cast.township_viewer)
    page = client.get(reverse("safety:overview"))
    assert page.status_code == 200 and page.context["supervision"]["totals"]["stationed"] == 1
    detail = client.get(profile.get_absolute_url())
    assert detail.status_code == 200 and profile.enterprise.credit_code in detail.content.decode()
    body = api(safety_cast.township_viewer).get("/api/v1/safety/enterprises/", {"chemical_role": "producer"}).json()
    assert [(r["id"], r["is_key"], r["area"]) for r in body["results"]] == [(profile.pk, True, area.code)]
    coverage = api(safety_cast.township_viewer).get("/api/v1/safety/resident-supervision-coverage/").json()
    assert coverage["area"] == area.code and coverage["totals"]["stationed"] == 1


def test_a_viewer_cannot_add_a_profile(safety_cast, api):
    enterprise = make_enterprise(safety_cast.area("燕店镇"))
    response = api(safety_cast.township_viewer).post(
        "/api/v1/safety/enterprises/", {"enterprise": enterprise.pk}, format="json"
    )
    assert response.status_code == 403
    assert not SafetyProfile.objects.filter(enterprise=enterprise).exists()


@pytest.fixture
def built(db):
    from jiceng.demo import DemoContext

    ctx = DemoContext(scale=0.1, rng=random.Random(5))
    for label in ["directory", "accounts", "core.policies", "safety"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    return ctx


def test_the_demo_carries_the_seed_figures(built):
    from django.db.models import Sum

    from jiceng.directory.demo import scaled
    from jiceng.safety import demo

    assert ResidentSupervision.objects.values("enterprise").distinct().count() == scaled(demo.KEY_STATIONED, 0.1)
    assert ResidentSupervision.objects.values("supervisor").distinct().count() == scaled(demo.SUPERVISORS, 0.1)
    sums = GuidanceLog.objects.aggregate(rules=Sum("rules_improved"), trainings=Sum("trainings_held"))
    assert sums == {"rules": scaled(demo.RULES_IMPROVED, 0.1), "trainings": scaled(demo.TRAININGS_HELD, 0.1)}
    for role, count in demo.CHEMICAL_ROLES.items():
        assert SafetyProfile.objects.filter(chemical_role=role).count() == scaled(count, 0.1)
    for grade, count in demo.GRADES.items():
        assert SafetyProfile.objects.filter(safety_grade=grade).count() == scaled(count, 0.1)
    assert SafetyProfile.objects.filter(is_deep_well_casting=True).count() == scaled(demo.DEEP_WELL_CASTING, 0.1)
    assert SafetyProfile.objects.filter(has_explosive_dust=True).count() == scaled(demo.EXPLOSIVE_DUST, 0.1)
    for profile in SafetyProfile.objects.exclude(safety_grade=""):
        assert profile.grade_expires_on == services.grade_expiry(profile.enterprise, profile.grade_awarded_on)


def test_the_demo_is_idempotent(built):
    from jiceng.safety import demo

    counts = (SafetyProfile.objects.count(), ResidentSupervision.objects.count(), GuidanceLog.objects.count())
    demo.build(built)
    assert (SafetyProfile.objects.count(), ResidentSupervision.objects.count(), GuidanceLog.objects.count()) == counts
