import random

import pytest

from jiceng.demo import DemoContext
from jiceng.party.points import demo
from jiceng.party.points.models import PointsRule, StarRating


@pytest.fixture
def built(db):
    ctx = DemoContext(scale=0.2, rng=random.Random(5))
    for label in ["directory", "accounts", "core.policies", "party", "party.members", "party.points"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    return ctx


def test_points_demo_rates_every_village_branch_within_quotas(built):
    ratings = list(StarRating.objects.all())
    assert ratings and all(r.stars is not None for r in ratings)
    assert sum(1 for r in ratings if r.stars == 5) <= len(ratings) // 10
    assert PointsRule.objects.count() == len(demo.RULES)
    demo.build(built)
    assert PointsRule.objects.count() == len(demo.RULES)
