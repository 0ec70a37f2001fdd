"""The permits demo: the reported operations at the seed's scale, permits covering them, several open
now, the alerts the scan raises from the rows; a second run adds nothing."""

import random

import pytest
from django.utils import timezone

from jiceng.core.alerts.models import Alert
from jiceng.demo import DEMO_APPS, DemoContext
from jiceng.directory.demo import scaled
from jiceng.safety.permits import demo, rules
from jiceng.safety.permits.models import OperationReport, WorkPermit
from jiceng.safety.permits.services import EXPIRED_RULE, UNCOVERED_RULE, is_covered_q

SCALE = 0.02


@pytest.fixture
def built(db):
    ctx = DemoContext(scale=SCALE, rng=random.Random(11))
    for label in ["directory", "accounts", "core.policies", "safety", "safety.permits"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    assert DEMO_APPS.index("safety.permits") > DEMO_APPS.index("safety")
    return ctx


def test_permits_demo_carries_the_seed_figure_and_obeys_the_rules(built):
    assert OperationReport.objects.count() == scaled(demo.OPERATIONS_ON_FILE, SCALE)
    now = timezone.now()
    for permit in WorkPermit.objects.select_related("enterprise__area"):
        assert rules.rule_reasons(permit) == [], permit
        assert rules.compute_level(permit)[0] == permit.level
        permit.full_clean()
    open_now = WorkPermit.objects.filter(state="active", valid_from__lte=now, valid_until__gt=now).count()
    assert open_now >= demo.ACTIVE_NOW
    assert WorkPermit.objects.filter(state="approved", valid_from__gt=now).count() == demo.APPROVED_LATER


def test_the_demo_alerts_follow_from_the_rows(built):
    now = timezone.now()
    uncovered = set(
        OperationReport.objects.filter(starts_at__lte=now)
        .annotate(is_covered=is_covered_q())
        .filter(is_covered=False)
        .values_list("pk", flat=True)
    )
    assert 0 < len(uncovered) <= demo.WITHOUT_PERMIT
    alerted = {int(pk) for pk in Alert.objects.filter(rule=UNCOVERED_RULE).values_list("object_id", flat=True)}
    assert alerted == uncovered
    expired = set(
        WorkPermit.objects.filter(state__in=["approved", "active"], valid_until__lte=now).values_list("pk", flat=True)
    )
    assert len(expired) == demo.EXPIRED_OPEN
    assert {int(pk) for pk in Alert.objects.filter(rule=EXPIRED_RULE).values_list("object_id", flat=True)} == expired


def test_permits_demo_is_idempotent(built):
    counts = (OperationReport.objects.count(), WorkPermit.objects.count(), Alert.objects.count())
    demo.build(built)
    assert (OperationReport.objects.count(), WorkPermit.objects.count(), Alert.objects.count()) == counts
