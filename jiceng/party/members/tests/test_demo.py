"""The members demo: the seed's figures come out of the data, and a second run adds nothing."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from jiceng.core.alerts.models import Alert
from jiceng.demo import DemoContext
from jiceng.party.members import demo
from jiceng.party.members.models import PartyMember
from jiceng.party.members.rules import age_on
from jiceng.party.members.selectors import admissions


@pytest.fixture
def built(db):
    from jiceng import demo as whole

    ctx = DemoContext(scale=0.3, rng=random.Random(7))
    for label in ["directory", "accounts", "core.policies", "party", "party.members"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    assert whole.DEMO_APPS.index("party.members") > whole.DEMO_APPS.index("party")
    return ctx


def test_members_demo_carries_the_seed_figures(built):
    year = timezone.localdate().year
    first_half = admissions(PartyMember.objects.all(), start=dt.date(year, 1, 1), end=dt.date(year, 6, 30))
    assert first_half["count"] == demo.ADMITTED_FIRST_HALF
    assert round(first_half["average_age"]) == demo.ADMITTED_AVERAGE_AGE
    assert PartyMember.objects.filter(stage="activist").count() == demo.ACTIVISTS_TRAINED_IN_APRIL
    for member in PartyMember.objects.filter(applied_on__isnull=False).select_related("person"):
        assert age_on(member.person.birth_date, member.applied_on) >= 18, member
    rules = set(Alert.objects.values_list("rule", flat=True))
    assert {"party.development.talk_overdue", "party.development.review_overdue"} <= rules


def test_members_demo_is_idempotent(built):
    count = PartyMember.objects.count()
    demo.build(built)
    assert PartyMember.objects.count() == count
