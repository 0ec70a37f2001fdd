"""The deviation flag in each direction and at the tolerance edge (read from the policy)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiceng.finance.results import rules, selectors
from jiceng.finance.results.models import PerformanceTarget
from jiceng.finance.results.tests.helpers import JULY, policy_value, report, target

pytestmark = pytest.mark.django_db


def edge(value: Decimal, tolerance: Decimal, sign: int) -> Decimal:
    """The forecast exactly at the tolerance band's edge on the side ``sign``."""
    return value + sign * value * tolerance / 100


@pytest.mark.parametrize(
    ("direction", "sign_miss"),
    [("higher", -1), ("lower", 1), ("equal", -1), ("equal", 1)],
)
def test_a_forecast_at_the_tolerance_edge_is_not_a_deviation_and_beyond_it_is(fr, direction, sign_miss):
    goal = target(fr.project, user=fr.staff, value="200", direction=direction)
    tolerance = policy_value(rules.TOLERANCE, fr.project, JULY)
    at_edge = edge(goal.target_value, tolerance, sign_miss)
    beyond = at_edge + sign_miss * Decimal("0.01")

    found = rules.deviation(goal, report(goal, user=fr.staff, forecast=at_edge))
    assert not found.flagged
    assert found.gap_pct == (sign_miss * tolerance).quantize(Decimal("0.1"))

    later = report(goal, user=fr.staff, forecast=beyond, on=JULY.replace(day=30))  # an earlier date
    assert rules.deviation(goal, later).flagged


def test_overshooting_in_the_good_direction_is_no_deviation(fr):
    higher = target(fr.project, user=fr.staff, value="100", direction="higher", indicator="受益农户数")
    lower = target(
        fr.project, user=fr.staff, value="100", direction="lower", indicator="亩均成本", category="output_cost"
    )
    assert not rules.deviation(higher, report(higher, user=fr.staff, forecast="500")).flagged
    assert not rules.deviation(lower, report(lower, user=fr.staff, forecast="1")).flagged


def test_the_flag_explains_target_forecast_direction_tolerance_and_source(fr):
    goal = target(fr.project, user=fr.staff, value="1000", direction="higher", unit="亩")
    found = rules.deviation(goal, report(goal, user=fr.staff, forecast="500", achieved="300"))
    assert found.flagged and found.gap_pct == Decimal("-50.0")
    tolerance = rules.policy(rules.TOLERANCE, fr.project, JULY)
    for text in ("1000", "500", "亩", str(goal.get_direction_display()), rules.fmt(tolerance.value), tolerance.cite()):
        assert text in found.explanation
    assert found.tolerance.key == rules.TOLERANCE


def test_deviations_use_the_latest_report_on_the_date(fr):
    goal = target(fr.project, user=fr.staff, value="100")
    report(goal, user=fr.staff, forecast="10", on=dt.date(2026, 5, 31))
    report(goal, user=fr.staff, forecast="100", on=JULY)
    qs = PerformanceTarget.objects.all()
    assert [d.target for d in selectors.deviations(qs, dt.date(2026, 6, 30))] == [goal]
    assert selectors.deviations(qs, JULY) == []
    assert [p["flagged"] for p in selectors.trend(goal)] == [True, False]
