"""The hazards demo: the seed's figures come back out of the rows, and a second run adds nothing."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from jiceng.core.alerts.models import Alert
from jiceng.demo import DEMO_APPS, DemoContext
from jiceng.directory.demo import DEMO_CITY_CODE, scaled
from jiceng.directory.models import Area
from jiceng.safety.hazards import demo, selectors, services
from jiceng.safety.hazards.models import (
    CampaignTarget,
    Hazard,
    Inspection,
    InspectionRecording,
    RectificationEvidence,
    RectificationPlan,
    SafetyCampaign,
    TargetGroup,
    Verification,
)

SCALE = 0.05
MODELS = [
    SafetyCampaign,
    TargetGroup,
    CampaignTarget,
    Inspection,
    InspectionRecording,
    Hazard,
    RectificationPlan,
    RectificationEvidence,
    Verification,
]


@pytest.fixture
def built(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ctx = DemoContext(scale=SCALE, rng=random.Random(7))
    for label in ["directory", "accounts", "core.policies", "core.checklists", "safety", "safety.hazards"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    assert DEMO_APPS.index("safety.hazards") > DEMO_APPS.index("safety")
    return ctx


def campaign(kind):
    return SafetyCampaign.objects.get(kind=kind)


def figures(kind, user=None):
    city = Area.objects.get(code=DEMO_CITY_CODE)
    from jiceng.accounts.models import User

    user = user or User.objects.get(username="demo_city_admin")
    return selectors.campaign_figures(user, campaign(kind), city, on=timezone.localdate())


def check_the_campaigns_carry_the_seed_figures(built):
    zeroing = figures("hundred_day_zeroing")
    assert zeroing["totals"]["targets"] == scaled(demo.DEEP_WELL_CASTING, SCALE) + scaled(demo.EXPLOSIVE_DUST, SCALE)
    assert zeroing["totals"]["zeroed"] == zeroing["totals"]["targets"]
    assert zeroing["totals"]["self_check_rate"] == 100
    assert zeroing["hazards"]["major"] > 0 and zeroing["hazards"]["major_open"] == 0

    sources = figures("major_hazard_source")
    assert sources["hazards"]["found"] == sources["hazards"]["closed"] == scaled(demo.MAJOR_SOURCE_PROBLEMS, SCALE)
    for rate in ("coverage_rate", "self_check_rate", "online_entry_rate"):
        assert sources["totals"][rate] == 100, rate
    assert [r["round"] for r in sources["by_round"]] == [1, 2]

    year_end = campaign("year_end_enforcement")
    assert year_end.starts_on.month == 12 and year_end.starts_on.day == 12
    assert {s.code for s in year_end.key_sectors.all()} == {"hazchem", "fireworks", "non_coal_mining"}
    assert year_end.inspections.count() == scaled(demo.YEAR_END_INSPECTIONS, SCALE)
    assert year_end.hazards.count() == scaled(demo.YEAR_END_HAZARDS, SCALE)
    assert not year_end.hazards.filter(due_on__isnull=True).exists()  # each with a deadline

    antifraud = campaign("certificate_antifraud")
    assert antifraud.inspections.count() == scaled(demo.ANTIFRAUD_INSPECTIONS, SCALE)
    assert antifraud.hazards.filter(status="closed").count() == scaled(demo.ANTIFRAUD_PROBLEMS, SCALE)


def check_the_present_has_open_overdue_listed_and_unplanned_hazards(built):
    today = timezone.localdate()
    open_hazards = Hazard.objects.exclude(status="closed")
    assert open_hazards.count() == len(demo.CURRENT)
    assert open_hazards.filter(selectors.overdue_q(today)).count() == 3
    listed = open_hazards.get(severity="major", status="rectifying")
    assert listed.listed_on and listed.plan.supervising_unit
    unplanned = open_hazards.get(severity="major", status="reported")
    assert not RectificationPlan.objects.filter(hazard=unplanned).exists()
    severities = set(Alert.objects.filter(rule=services.OVERDUE_RULE).values_list("severity", flat=True))
    assert {"blue", "yellow", "orange"} <= severities
    assert Alert.objects.filter(rule=services.UNLISTED_RULE, object_id=str(unplanned.pk)).exists()
    assert InspectionRecording.objects.count() == 2


def check_every_row_is_demo_data_and_a_second_run_adds_nothing(built):
    counts = {model: model.objects.count() for model in MODELS}
    for model in MODELS:
        assert not model.objects.filter(is_demo=False).exists(), model
    demo.build(built)
    assert {model: model.objects.count() for model in MODELS} == counts
    assert built.figures["safety hazards"] == "demo already present; nothing added"


def test_the_demo(built):
    """One build (it takes a while), three checks."""
    check_the_campaigns_carry_the_seed_figures(built)
    check_the_present_has_open_overdue_listed_and_unplanned_hazards(built)
    check_every_row_is_demo_data_and_a_second_run_adds_nothing(built)
