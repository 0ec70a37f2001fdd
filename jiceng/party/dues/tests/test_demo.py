import random

import pytest

from jiceng.core.alerts.models import Alert
from jiceng.demo import DemoContext
from jiceng.party.dues import demo
from jiceng.party.dues.models import DuesPayment


@pytest.fixture
def built(db):
    ctx = DemoContext(scale=0.2, rng=random.Random(9))
    for label in ["directory", "accounts", "core.policies", "party", "party.members", "party.dues"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    return ctx


def test_dues_demo_shows_arrears_and_lost_contact(built):
    assert DuesPayment.objects.exists()
    assert Alert.objects.filter(rule="party.membership.lost_contact").count() == 1
    count = DuesPayment.objects.count()
    demo.build(built)
    assert DuesPayment.objects.count() == count
    assert demo.IN_ARREARS > 0
