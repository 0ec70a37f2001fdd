"""Writes of the finance module: projects, the dated execution rows, asset standards and key marks.

Every write goes through ``jiceng.core.services`` (permission, scope conformance, audit) inside
``transaction.atomic``; bad input is a ``ValidationError`` / ``InvalidInput`` (HTTP 400) and nothing is
written. Amounts are Decimals with 2 dp, more than zero except adjustments (signed by kind), dated
inside the project's year. Spending beyond the current budget is accepted and flagged
(``flags.OVER_BUDGET``), never refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.scope import user_can
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


def _may_change(project: BudgetProject, acting_user: Any) -> None:
    """Rows of a project are written by whoever may change the project (its Area's editors)."""
    if acting_user is not None and not user_can(acting_user, project, "change"):
        raise PermissionRefused(_("You do not have permission to do this."))


# --- projects ----------------------------------------------------------------------------------
def do_create_project(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> BudgetProject:
    return services.do_create(BudgetProject, data=data, acting_user=acting_user, comment=comment)


def do_update_project(
    project: BudgetProject, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> BudgetProject:
    if "year" in data and data["year"] != project.year and _has_rows(project):
        raise InvalidInput(_("A project with dated rows keeps its year."), field="year")
    return services.do_update(project, data=data, acting_user=acting_user, comment=comment)


def _has_rows(project: BudgetProject) -> bool:
    return any(
        m.objects.filter(project=project).exists()
        for m in (BudgetAdjustment, Disbursement, Spending, CarryOverForecast)
    )


def do_delete_project(project: BudgetProject, *, acting_user: Any, comment: str = "") -> None:
    services.do_delete(project, acting_user=acting_user, comment=comment)


# --- dated rows ----------------------------------------------------------------------------------
def _add_row(model: Any, project: BudgetProject, data: Mapping[str, Any], acting_user: Any, comment: str) -> Any:
    _may_change(project, acting_user)
    return services.do_create(model, data={**data, "project": project}, acting_user=acting_user, comment=comment)


def do_add_adjustment(
    project: BudgetProject, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> BudgetAdjustment:
    """A budget addition (> 0), reduction (< 0) or adjustment (±, not zero) dated in the project year."""
    with transaction.atomic():
        return _add_row(BudgetAdjustment, project, data, acting_user, comment)  # type: ignore[no-any-return]


def do_add_disbursement(
    project: BudgetProject, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> Disbursement:
    with transaction.atomic():
        return _add_row(Disbursement, project, data, acting_user, comment)  # type: ignore[no-any-return]


def _purchase_rows(spending: Spending, lines: Iterable[Mapping[str, Any]]) -> list[AssetPurchase]:
    rows = []
    for index, line in enumerate(lines):
        try:
            price = Decimal(str(line.get("unit_price", "")))
            quantity = int(line.get("quantity", 0))
        except (InvalidOperation, TypeError, ValueError) as exc:
            raise InvalidInput(
                _("Asset line %(n)s: quantity and unit price are numbers.") % {"n": index + 1}, field="assets"
            ) from exc
        rows.append(
            AssetPurchase(
                spending=spending, item=str(line.get("item", "")).strip(), quantity=quantity, unit_price=price
            )
        )
    return rows


def do_add_spending(
    project: BudgetProject,
    *,
    data: Mapping[str, Any],
    acting_user: Any,
    assets: Iterable[Mapping[str, Any]] = (),
    comment: str = "",
) -> Spending:
    """Actual spending on a date (declared purpose optional), with the assets it bought
    (``[{"item", "quantity", "unit_price"}]``). Beyond the budget it is accepted and flagged."""
    with transaction.atomic():
        spending: Spending = _add_row(Spending, project, data, acting_user, comment)
        lines = _purchase_rows(spending, assets)
        for line in lines:
            services.do_create(
                AssetPurchase,
                data={
                    "spending": spending,
                    "item": line.item,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                },
                acting_user=acting_user,
                comment=comment,
            )
        return spending


def do_add_carry_over(
    project: BudgetProject, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> CarryOverForecast:
    with transaction.atomic():
        return _add_row(CarryOverForecast, project, data, acting_user, comment)  # type: ignore[no-any-return]


def do_delete_row(row: Any, *, acting_user: Any, comment: str = "") -> None:
    """Remove a mistaken dated row (audited; the figures of past dates change with it)."""
    services.do_delete(row, acting_user=acting_user, comment=comment)


# --- asset standards, key marks ------------------------------------------------------------------
def do_create_asset_standard(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> AssetStandard:
    return services.do_create(AssetStandard, data=data, acting_user=acting_user, comment=comment)


def do_mark_key(project: BudgetProject, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> KeyMark:
    """The department marks ``project`` as key (one mark per project; marking again updates it)."""
    with transaction.atomic():
        _may_change(project, acting_user)
        existing = KeyMark.objects.filter(project=project).first()
        if existing is not None:
            return services.do_update(existing, data=data, acting_user=acting_user, comment=comment)
        return services.do_create(KeyMark, data={**data, "project": project}, acting_user=acting_user, comment=comment)


def do_unmark_key(mark: KeyMark, *, acting_user: Any, comment: str = "") -> None:
    services.do_delete(mark, acting_user=acting_user, comment=comment)
