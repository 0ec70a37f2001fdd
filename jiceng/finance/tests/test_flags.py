"""Each irregularity flag (B02) on the data, explained, and only from rows dated up to the date."""

import datetime as dt
from decimal import Decimal

import pytest

from jiceng.finance.choices import FlagKind
from jiceng.finance.flags import project_flags
from jiceng.finance.models import BudgetProject
from jiceng.finance.testing import (
    add_adjustment,
    add_asset_purchase,
    add_spending,
    make_asset_standard,
    make_project,
    make_unit,
)

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 7, 31)


def unit(cast):
    return make_unit(cast.area("莘县"), name="县卫生健康局")


def kinds(on=ON):
    return [f.kind for f in project_flags(BudgetProject.objects.all(), on)]


def test_clean_project_has_no_flags(finance_cast):
    project = make_project(unit(finance_cast), budget="100000", allowed_purposes="502")
    add_spending(project, dt.date(2026, 3, 1), "50000", purpose="502")
    assert kinds() == []


def test_spending_before_the_budget_line_exists(finance_cast):
    project = make_project(unit(finance_cast), budget="0")
    add_spending(project, dt.date(2026, 5, 20), "30000")
    add_adjustment(project, dt.date(2026, 6, 15), "200000")
    add_spending(project, dt.date(2026, 6, 25), "10000")
    flags = project_flags(BudgetProject.objects.all(), ON)
    assert [f.kind for f in flags] == [FlagKind.NO_BUDGET_LINE]
    assert flags[0].on == dt.date(2026, 5, 20)
    assert "2026-05-20" in flags[0].reason.message and "商河县财政局" in flags[0].reason.message


def test_over_budget_is_accepted_and_flagged(finance_cast):
    project = make_project(unit(finance_cast), budget="100000")
    add_spending(project, dt.date(2026, 3, 1), "80000")
    add_spending(project, dt.date(2026, 7, 1), "30000")
    assert kinds(dt.date(2026, 6, 30)) == []
    flags = project_flags(BudgetProject.objects.all(), ON)
    assert [f.kind for f in flags] == [FlagKind.OVER_BUDGET]
    assert flags[0].amount == Decimal("10000.00")
    # an addition dated before the date clears it
    add_adjustment(project, dt.date(2026, 7, 20), "20000")
    assert kinds() == []


def test_diversion_between_purposes(finance_cast):
    project = make_project(unit(finance_cast), allowed_purposes="502,503")
    add_spending(project, dt.date(2026, 4, 1), "1000", purpose="503")
    add_spending(project, dt.date(2026, 4, 2), "2000", purpose="501")
    add_spending(project, dt.date(2026, 4, 3), "3000")  # no declared purpose: nothing to compare
    flags = project_flags(BudgetProject.objects.all(), ON)
    assert [f.kind for f in flags] == [FlagKind.DIVERSION]
    assert flags[0].amount == Decimal("2000.00")
    assert "501" in flags[0].reason.message


def test_asset_above_the_allocation_standard(finance_cast):
    county = finance_cast.area("莘县")
    standard = make_asset_standard(county, "台式计算机", "5000", source_document="测试配置标准文件")
    project = make_project(make_unit(finance_cast.area("燕店镇"), name="燕店镇人民政府"))
    within = add_spending(project, dt.date(2026, 4, 1), "10000")
    add_asset_purchase(within, "台式计算机", 2, standard.max_unit_price)
    above = add_spending(project, dt.date(2026, 4, 2), "12000")
    add_asset_purchase(above, "台式计算机", 2, standard.max_unit_price + Decimal("0.01"))
    add_asset_purchase(above, "无标准物品", 1, "99999")
    flags = project_flags(BudgetProject.objects.all(), ON)
    assert [f.kind for f in flags] == [FlagKind.ASSET_ABOVE_STANDARD]
    assert flags[0].spending == above and "测试配置标准文件" in flags[0].reason.message
    # a standard dated after the purchase does not apply
    make_asset_standard(finance_cast.area("燕店镇"), "台式计算机", "1", effective_from=dt.date(2026, 5, 1))
    assert kinds() == [FlagKind.ASSET_ABOVE_STANDARD]
