"""Factories of the finance module for the suite-wide scope matrix (``factory(area)`` → a row in it)."""

import datetime as dt

from jiceng.finance.models import (
    AssetPurchase,
    AssetStandard,
    BudgetAdjustment,
    BudgetProject,
    CarryOverForecast,
    Disbursement,
    KeyMark,
    Spending,
)
from jiceng.finance.testing import (
    add_adjustment,
    add_asset_purchase,
    add_carry_over,
    add_disbursement,
    add_spending,
    make_asset_standard,
    make_key_mark,
    make_project,
)

ON = dt.date(2026, 3, 15)


def spending(area):
    return add_spending(make_project(area), ON, "1000.00")


TEST_FACTORIES = {
    BudgetProject: lambda area: make_project(area),
    BudgetAdjustment: lambda area: add_adjustment(make_project(area), ON, "5000.00"),
    Disbursement: lambda area: add_disbursement(make_project(area), ON, "2000.00"),
    Spending: spending,
    CarryOverForecast: lambda area: add_carry_over(make_project(area), ON, "3000.00"),
    AssetStandard: lambda area: make_asset_standard(area, "台式计算机", "4000.00"),
    AssetPurchase: lambda area: add_asset_purchase(spending(area), "台式计算机", 1, "3900.00"),
    KeyMark: lambda area: make_key_mark(make_project(area)),
}
