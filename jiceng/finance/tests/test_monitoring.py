"""Time progress (both methods), execution progress, the lag threshold edge and past-date reproducibility."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from jiceng.core.policies.models import Policy
from jiceng.core.policies.services import clear_policy_cache, get_policy
from jiceng.finance import rules, selectors
from jiceng.finance.testing import add_adjustment, add_spending, make_project, make_unit

pytestmark = pytest.mark.django_db

YEAR = 2026
JULY_31 = dt.date(YEAR, 7, 31)


def county(cast):
    return cast.area("莘县")


def threshold(cast, on=JULY_31) -> Decimal:
    return get_policy(rules.KEY_LAG_PP, area_path=county(cast).path, on=on).value


def set_method(area, value: str) -> None:
    row = Policy.objects.get(key=rules.TIME_PROGRESS_METHOD, area_path="")
    row.value = value
    row.save()
    clear_policy_cache()


def test_months_method_on_31_july_is_seven_twelfths(finance_cast):
    expected = (Decimal(7) * 100 / 12).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert selectors.time_progress(county(finance_cast).path, YEAR, JULY_31) == expected
    assert str(expected) == "58.3"


def test_months_method_counts_only_completed_months(finance_cast):
    path = county(finance_cast).path
    assert selectors.time_progress(path, YEAR, dt.date(YEAR, 7, 15)) == Decimal("50.0")  # 6 months done
    assert selectors.time_progress(path, YEAR, dt.date(YEAR, 7, 30)) == Decimal("50.0")
    assert selectors.time_progress(path, YEAR, dt.date(YEAR, 1, 1)) == Decimal("0.0")
    assert selectors.time_progress(path, YEAR, dt.date(YEAR, 2, 28)) == (Decimal(200) / 12).quantize(Decimal("0.1"))
    assert selectors.time_progress(path, YEAR, dt.date(YEAR, 12, 31)) == Decimal("100.0")
    assert selectors.time_progress(path, YEAR, dt.date(YEAR + 1, 1, 5)) == Decimal("100.0")


def test_days_method_uses_days_elapsed(finance_cast):
    set_method(county(finance_cast), "days")
    elapsed = (JULY_31 - dt.date(YEAR, 1, 1)).days + 1
    total = (dt.date(YEAR + 1, 1, 1) - dt.date(YEAR, 1, 1)).days
    expected = (Decimal(elapsed) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert selectors.time_progress(county(finance_cast).path, YEAR, JULY_31) == expected
    months = (Decimal(7) * 100 / 12).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert expected != months


def major_project(cast, budget="1000000.00", **kw):
    unit = make_unit(county(cast), name=kw.pop("unit_name", "县交通运输局"))
    return make_project(unit, budget=budget, major=True, **kw)


def spend_for_lag(project, lag: Decimal, on=JULY_31):
    """Spend so that on ``on`` the lag is exactly ``lag`` points (execution = time − lag)."""
    time_pct = selectors.time_progress(project.area.path, project.year, on)
    execution = time_pct - lag
    amount = (project.budget * execution / 100).quantize(Decimal("0.01"))
    add_spending(project, dt.date(project.year, 3, 10), amount)
    return execution


def test_lag_exactly_at_threshold_is_not_listed(finance_cast):
    limit = threshold(finance_cast)
    project = major_project(finance_cast)
    spend_for_lag(project, limit)
    figures = selectors.monitoring(project, JULY_31)
    assert figures["lag_points"] == limit.quantize(Decimal("0.1"))
    assert figures["key_monitoring"] is False
    assert project not in [p for p, _ in selectors.watch_list(type(project).objects.all(), JULY_31)]


def test_lag_a_tenth_above_threshold_is_listed_with_reason(finance_cast):
    limit = threshold(finance_cast)
    project = major_project(finance_cast)
    execution = spend_for_lag(project, limit + Decimal("0.1"))
    figures = selectors.monitoring(project, JULY_31)
    assert figures["lag_points"] == (limit + Decimal("0.1")).quantize(Decimal("0.1"))
    assert figures["execution_progress"] == execution
    assert figures["key_monitoring"] is True
    text = figures["reasons"][-1].message
    assert str(figures["time_progress"]) in text and str(execution) in text and str(figures["lag_points"]) in text
    assert "商河县财政局" in text
    listed = selectors.watch_list(type(project).objects.all(), JULY_31)
    assert [p.pk for p, _ in listed] == [project.pk]


def test_example_figures_of_the_issue(finance_cast):
    project = major_project(finance_cast)
    add_spending(project, dt.date(YEAR, 5, 1), "120000.00")
    figures = selectors.monitoring(project, JULY_31)
    assert figures["time_progress"] == Decimal("58.3")
    assert figures["execution_progress"] == Decimal("12.0")
    assert figures["lag_points"] == Decimal("46.3")
    assert figures["key_monitoring"] is (Decimal("46.3") > threshold(finance_cast))


def test_township_major_project_is_not_county_level(finance_cast):
    unit = make_unit(finance_cast.area("燕店镇"), name="燕店镇财政所")
    project = make_project(unit, major=True)
    add_spending(project, dt.date(YEAR, 5, 1), "1000.00")
    figures = selectors.monitoring(project, JULY_31)
    assert figures["lag_points"] > threshold(finance_cast)
    assert figures["key_monitoring"] is False


def test_incremental_policy_listed_from_its_adoption(finance_cast):
    unit = make_unit(county(finance_cast), name="县民政局")
    project = make_project(unit, incremental_policy=True, adopted_on=dt.date(YEAR, 6, 15))
    add_spending(project, dt.date(YEAR, 6, 20), "900000.00")  # no lag at all
    assert selectors.monitoring(project, dt.date(YEAR, 6, 14))["key_monitoring"] is False
    figures = selectors.monitoring(project, JULY_31)
    assert figures["key_monitoring"] is True
    assert "2026-06-15" in figures["reasons"][-1].message


def test_past_dates_are_reproducible(finance_cast):
    """Only rows dated on or before the date count: spending and budget adjustments alike."""
    project = major_project(finance_cast, budget="1000000.00")
    add_spending(project, dt.date(YEAR, 4, 1), "100000.00")
    before = selectors.monitoring(project, JULY_31)
    # rows dated after 31 July (entered later) do not change the figures of 31 July
    add_spending(project, dt.date(YEAR, 8, 5), "500000.00")
    add_adjustment(project, dt.date(YEAR, 8, 10), "-400000.00", kind="reduction")
    again = selectors.monitoring(project, JULY_31)
    assert {k: again[k] for k in ("time_progress", "execution_progress", "lag_points", "key_monitoring")} == {
        k: before[k] for k in ("time_progress", "execution_progress", "lag_points", "key_monitoring")
    }
    assert selectors.current_budget(project, JULY_31) == project.budget
    assert selectors.current_budget(project, dt.date(YEAR, 8, 31)) == project.budget - Decimal("400000.00")
    # an addition dated before 31 July changes execution progress on 31 July
    add_adjustment(project, dt.date(YEAR, 7, 1), "1000000.00")
    assert selectors.execution_progress(project, JULY_31) == Decimal("5.0")


def test_zero_budget_has_no_execution_progress(finance_cast):
    project = major_project(finance_cast, budget="0")
    figures = selectors.monitoring(project, JULY_31)
    assert figures["execution_progress"] is None and figures["lag_points"] is None
    assert figures["key_monitoring"] is False
