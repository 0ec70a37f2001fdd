"""The finance demo: 莘县's projects for the current year with spending through July, the lagging majors
and the exact-threshold edge, the incremental policies, each irregularity; a second run adds nothing."""

import datetime as dt
import random

import pytest

from jiceng.core.policies.services import get_policy
from jiceng.demo import DEMO_APPS, DemoContext
from jiceng.directory.demo import DEMO_COUNTY_CODE
from jiceng.finance import demo, rules, selectors
from jiceng.finance.choices import FlagKind
from jiceng.finance.models import BudgetAdjustment, BudgetProject, KeyMark, Spending

SCALE = 0.05


@pytest.fixture
def built(db):
    ctx = DemoContext(scale=SCALE, rng=random.Random(5))
    for label in ["directory", "accounts", "core.policies"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    demo.build(ctx)
    assert DEMO_APPS.index("finance") > DEMO_APPS.index("core.policies")
    return ctx


def test_demo_builds_the_county_year(built):
    year = demo.demo_year()
    county = built.area(DEMO_COUNTY_CODE)
    projects = BudgetProject.objects.filter(area=county, year=year, is_demo=True)
    assert projects.count() == built.figures["finance_projects"] > 0
    assert projects.exclude(expenditure_kind="project").exists()  # excluded lines are there too
    assert 0 < built.figures["finance_monitored"] < projects.count()
    assert not Spending.objects.filter(project__in=projects, on__gt=dt.date(year, 7, 31)).exists()
    assert {p.budget_type for p in projects} >= {"general_public"}


def test_demo_watch_list_and_edge_on_31_july(built):
    year = demo.demo_year()
    county = built.area(DEMO_COUNTY_CODE)
    july = dt.date(year, 7, 31)
    limit = get_policy(rules.KEY_LAG_PP, area_path=county.path, on=july).value
    projects = BudgetProject.objects.filter(area=county, year=year)
    listed = selectors.watch_list(projects, july)
    lagging = [p for p, f in listed if f["lag_points"] is not None and f["lag_points"] > limit and p.major]
    assert len(lagging) == demo.LAGGING_MAJORS
    assert sum(1 for p, _ in listed if p.incremental_policy) == demo.INCREMENTAL
    edges = [p for p in projects.filter(major=True) if selectors.monitoring(p, july)["lag_points"] == limit]
    assert len(edges) == 1 and edges[0] not in [p for p, _ in listed]
    assert built.figures["finance_watch_list_31_july"] == len(listed)


def test_demo_has_every_flag(built):
    by_kind = built.figures["finance_flags_31_july"]
    assert set(by_kind) == set(FlagKind.values)
    assert by_kind[FlagKind.OVER_BUDGET] == demo.OVER_BUDGET
    assert by_kind[FlagKind.DIVERSION] == demo.DIVERSIONS
    assert by_kind[FlagKind.ASSET_ABOVE_STANDARD] == demo.ASSETS_ABOVE
    assert built.figures["finance_key_marks"] == KeyMark.objects.count() > 0


def test_demo_is_idempotent(built):
    counts = (BudgetProject.objects.count(), Spending.objects.count(), BudgetAdjustment.objects.count())
    demo.build(built)
    assert (BudgetProject.objects.count(), Spending.objects.count(), BudgetAdjustment.objects.count()) == counts
