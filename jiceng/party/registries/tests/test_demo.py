import random

import pytest

from jiceng.demo import DemoContext
from jiceng.party.registries import demo
from jiceng.party.registries import models as m


@pytest.fixture
def built(db):
    ctx = DemoContext(scale=0.2, rng=random.Random(11))
    for label in ["directory", "accounts", "core.policies", "party", "party.registries"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    return ctx


def test_registries_demo_carries_the_seed_counts(built):
    assert m.Instructor.objects.count() == sum(demo.INSTRUCTORS.values())
    assert m.Post.objects.filter(kind="red_station").count() == demo.RED_STATIONS
    assert m.BranchPairing.objects.count() == demo.PAIRINGS
    demo.build(built)
    assert m.Instructor.objects.count() == sum(demo.INSTRUCTORS.values())
