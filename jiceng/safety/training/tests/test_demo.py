"""The training demo: the seed's figures come back out of the rows, and a second run adds nothing."""

import random

import pytest

from jiceng.core.alerts.models import Alert, Notification
from jiceng.demo import DemoContext
from jiceng.directory.demo import DEMO_TOWNSHIP_CODE, scaled
from jiceng.directory.models import Area
from jiceng.safety.models import SafetyProfile
from jiceng.safety.training import demo, selectors
from jiceng.safety.training.models import (
    Broadcast,
    BroadcastState,
    CertificateCheck,
    PublicityActivity,
    PublicityTarget,
    PublicServiceAd,
    TrainingCampaign,
    TrainingSession,
)

SCALE = 0.05


@pytest.fixture
def built(db, django_capture_on_commit_callbacks):
    from jiceng import demo as whole

    ctx = DemoContext(scale=SCALE, rng=random.Random(11))
    with django_capture_on_commit_callbacks(execute=True):
        for label in ["directory", "accounts", "core.policies", "safety", "safety.training"]:
            __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    assert whole.DEMO_APPS.index("safety.training") > whole.DEMO_APPS.index("safety")
    return ctx


PROVINCE = "370000000000"


def admin():
    """An administrator of the whole demo tree (the demo logins stop at the city; the tree goes further)."""
    from jiceng.accounts.models import User
    from jiceng.accounts.services import do_create_user

    return User.objects.filter(username="test_province_admin").first() or do_create_user(
        username="test_province_admin",
        password="test-only-password-2026",
        area_code=PROVINCE,
        role_keys=["admin"],
        check_password=False,
    )


def test_training_figures_carry_the_seed_workers(built):
    user = admin()
    city = Area.objects.get(code=PROVINCE)
    campaign = TrainingCampaign.objects.get(kind="training", is_demo=True)
    figures = selectors.training_figures(user, city, selectors.Period(campaign=campaign))
    employees = sum(SafetyProfile.objects.filter(is_demo=True).values_list("employees", flat=True))
    assert figures["totals"]["trained"] == min(scaled(demo.THREE_BIGS_WORKERS, SCALE), employees)
    assert figures["totals"]["organising"] == TrainingSession.objects.values("enterprise").distinct().count()
    assert figures["totals"]["organising"] <= figures["totals"]["enterprises"]
    assert sum(r["trained"] for r in figures["rows"]) == figures["totals"]["trained"]


def test_spot_tests_carry_the_seed_figures(built):
    city = Area.objects.get(code=PROVINCE)
    figures = selectors.spot_test_figures(admin(), city, selectors.Period())
    assert figures["totals"]["enterprises"] == scaled(demo.SPOT_TESTED_ENTERPRISES, SCALE)
    assert figures["totals"]["tested"] == scaled(demo.SPOT_TESTED_EMPLOYEES, SCALE)
    assert figures["totals"]["pass_rate"] == 100


def test_certificates_publicity_ad_and_broadcast(built):
    assert CertificateCheck.objects.filter(result="expired").count() == 1
    assert CertificateCheck.objects.filter(result="forged").count() == 1
    rules = set(Alert.objects.filter(state__in=["open", "acknowledged"]).values_list("rule", flat=True))
    assert {"safety.certificate_expired", "safety.certificate_forged", "safety.broadcast"} <= rules
    targets = set(PublicityActivity.objects.values_list("target", flat=True))
    assert targets == set(PublicityTarget.values)
    assert PublicServiceAd.objects.filter(text=demo.AD_TEXT).exists()
    live = Broadcast.objects.get(state=BroadcastState.LIVE)
    assert live.area.code == DEMO_TOWNSHIP_CODE and live.is_demo
    alert = Alert.objects.get(rule="safety.broadcast")
    reached = set(Notification.objects.filter(alert=alert).values_list("user__username", flat=True))
    assert {"demo_township_safety", "demo_county_safety", "demo_county_admin"} <= reached


def test_demo_is_idempotent(built):
    counts = [m.objects.count() for m in (TrainingSession, CertificateCheck, PublicityActivity, Broadcast, Alert)]
    demo.build(built)
    assert [
        m.objects.count() for m in (TrainingSession, CertificateCheck, PublicityActivity, Broadcast, Alert)
    ] == counts
