"""Test helpers for the finance apps: the cast with finance roles, and factories.

``finance_cast`` (fixture in ``jiceng/finance/conftest.py``) is the core cast with finance roles:
township_staff finance_editor (燕店镇), township_viewer finance_viewer (燕店镇), village_staff
finance_editor (东村), outsider finance_editor (古云镇, the sibling township); county_admin is admin
of 莘县 and acts as the finance bureau. Policies come from the seeds.

The factories write directly (test set-up, not a user's action); amounts are Decimals with 2 dp.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.apps import apps

EDITOR = ["finance_editor", "alerts_editor", "checklists_editor", "publicpages_editor"]
VIEWER = ["finance_viewer", "alerts_viewer", "checklists_viewer", "publicpages_viewer"]
FINANCE_ROLES = {
    "township_staff": EDITOR,
    "township_viewer": VIEWER,
    "village_staff": EDITOR,
    "outsider": EDITOR,
}

_serial = itertools.count(1)


def model(name: str) -> Any:
    return apps.get_model("finance", name)


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def make_unit(area: Any, *, name: str | None = None, **kw: Any) -> Any:
    """A department (budget unit) in ``area``."""
    unit_model = apps.get_model("directory", "Unit")
    return unit_model.objects.create(area=area, name=name or f"测试部门{next(_serial)}", **kw)


def make_project(area_or_unit: Any, *, year: int = 2026, budget: Any = "1000000", **kw: Any) -> Any:
    """A monitored-by-default project (general public budget, county funds, project expenditure)
    of a unit (given, or a new department in the given area)."""
    unit_model = apps.get_model("directory", "Unit")
    unit = area_or_unit if isinstance(area_or_unit, unit_model) else make_unit(area_or_unit)
    kw.setdefault("name", f"测试项目{next(_serial)}")
    kw.setdefault("budget_type", "general_public")
    kw.setdefault("funding_source", "county")
    if kw.get("funding_source") == "transfer":
        kw.setdefault("transfer_level", "provincial")
    if kw.get("incremental_policy"):
        kw.setdefault("adopted_on", dt.date(year, 3, 1))
    project = model("BudgetProject")(unit=unit, year=year, budget=money(budget), **kw)
    project.full_clean()
    project.save()
    return project


def _row(name: str, project: Any, on: dt.date, amount: Any, **kw: Any) -> Any:
    return model(name).objects.create(project=project, on=on, amount=money(amount), **kw)


def add_spending(project: Any, on: dt.date, amount: Any, **kw: Any) -> Any:
    return _row("Spending", project, on, amount, **kw)


def add_disbursement(project: Any, on: dt.date, amount: Any, **kw: Any) -> Any:
    return _row("Disbursement", project, on, amount, **kw)


def add_adjustment(project: Any, on: dt.date, amount: Any, kind: str | None = None, **kw: Any) -> Any:
    kind = kind or ("addition" if money(amount) > 0 else "reduction")
    return _row("BudgetAdjustment", project, on, amount, kind=kind, **kw)


def add_carry_over(project: Any, on: dt.date, amount: Any, **kw: Any) -> Any:
    return _row("CarryOverForecast", project, on, amount, **kw)


def add_asset_purchase(spending: Any, item: str, quantity: int, unit_price: Any) -> Any:
    return model("AssetPurchase").objects.create(
        spending=spending, item=item, quantity=quantity, unit_price=money(unit_price)
    )


def make_asset_standard(area: Any, item: str, max_unit_price: Any, **kw: Any) -> Any:
    kw.setdefault("source_document", "测试配置标准")
    kw.setdefault("effective_from", dt.date(2020, 1, 1))
    return model("AssetStandard").objects.create(area=area, item=item, max_unit_price=money(max_unit_price), **kw)


def make_key_mark(project: Any, *, marked_on: dt.date | None = None, **criteria: Any) -> Any:
    if not criteria:
        criteria = {"major_project": True}
    return model("KeyMark").objects.create(
        project=project, marked_on=marked_on or dt.date(project.year, 4, 1), **criteria
    )
