"""Irregularity flags (B02: 无预算开支、超预算开支、挤占挪用、超标准配置资产) computed on the data.

Which flags an Area checks is the policy ``finance.flags.checked`` (seed 001 lists the four). On a
date ``on`` only rows dated on or before it count:

- ``no_budget_line``: a spending row on a day when the project's current budget (initial budget plus
  the adjustments dated up to that day) is zero or less — spending on a project without a budget, or
  before its budget exists (an initial budget of 0 whose addition comes later);
- ``over_budget``: the spending up to ``on`` exceeds the current budget on ``on`` (a positive one;
  a non-positive budget is the first flag). Spending beyond the budget is accepted, and flagged;
- ``diversion``: a spending row whose declared purpose (economic class) is not one of the project's
  allowed purposes (only when both are given);
- ``asset_above_standard``: an asset bought with a spending row at a unit price above the allocation
  standard (``AssetStandard``) of that item in force for the project's Area on the spending date (the
  most specific Area's standard wins, then the latest).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jiceng.core.policies.services import PolicyMissing, PolicyValue, get_policy
from jiceng.core.scope import ancestor_paths
from jiceng.core.workflow import Reason, policy_reason
from jiceng.finance.choices import EconomicClass, FlagKind
from jiceng.finance.models import AssetPurchase, AssetStandard, BudgetAdjustment, BudgetProject, Spending

CHECKED = "finance.flags.checked"


@dataclass
class Flag:
    kind: str
    project: BudgetProject
    on: dt.date
    amount: Decimal
    reason: Reason
    spending: Spending | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return str(FlagKind(self.kind).label)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "project": self.project.pk,
            "project_name": self.project.name,
            "unit": self.project.unit_id,
            "on": self.on.isoformat(),
            "amount": format(self.amount, "f"),
            "spending": self.spending.pk if self.spending else None,
            "reason": self.reason.as_dict(),
        }


def _checked(path: str, on: dt.date) -> PolicyValue | None:
    try:
        return get_policy(CHECKED, area_path=path, on=on)
    except PolicyMissing:
        return None


def _purpose_label(code: str) -> str:
    return str(EconomicClass(code).label) if code in EconomicClass.values else code


def standards_for(path: str, on: dt.date, standards: list[AssetStandard]) -> dict[str, AssetStandard]:
    """item → the standard in force on ``on`` for an Area at ``path`` (most specific Area, then latest)."""
    ancestors = ancestor_paths(path)
    best: dict[str, tuple[int, dt.date, AssetStandard]] = {}
    for std in standards:
        if std.area.path not in ancestors or std.effective_from > on:
            continue
        rank = (len(std.area.path), std.effective_from)
        if std.item not in best or rank > best[std.item][:2]:
            best[std.item] = (*rank, std)
    return {item: row[2] for item, row in best.items()}


def project_flags(projects: QuerySet, on: dt.date) -> list[Flag]:
    """Every irregularity flag of ``projects`` on ``on``, ordered by project then date."""
    projects_list = list(projects.select_related("area", "unit"))
    ids = [p.pk for p in projects_list]
    adjustments: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for pid, day, amount in BudgetAdjustment.objects.filter(project_id__in=ids, on__lte=on).values_list(
        "project_id", "on", "amount"
    ):
        adjustments[pid].append((day, amount))
    spendings: dict[int, list[Spending]] = defaultdict(list)
    for row in Spending.objects.filter(project_id__in=ids, on__lte=on).order_by("on", "pk"):
        spendings[row.project_id].append(row)
    purchases: dict[int, list[AssetPurchase]] = defaultdict(list)
    for purchase in AssetPurchase.objects.filter(spending__project_id__in=ids, spending__on__lte=on):
        purchases[purchase.spending_id].append(purchase)
    standards = list(AssetStandard.objects.select_related("area").filter(effective_from__lte=on))
    flags: list[Flag] = []
    for project in projects_list:
        rule = _checked(project.area.path, on)
        if rule is None:
            continue
        checked = {c.strip() for c in str(rule.value).split(",") if c.strip()}

        def budget_on(day: dt.date, project: BudgetProject = project) -> Decimal:
            return project.budget + sum((a for d, a in adjustments[project.pk] if d <= day), Decimal(0))

        rows = spendings[project.pk]
        for row in rows:
            if FlagKind.NO_BUDGET_LINE in checked and budget_on(row.on) <= 0:
                flags.append(
                    Flag(
                        FlagKind.NO_BUDGET_LINE,
                        project,
                        row.on,
                        row.amount,
                        policy_reason(
                            rule,
                            _(
                                "Spending of %(amount)s yuan on %(date)s without a budget line (current budget %(budget)s)"
                            ),
                            amount=row.amount,
                            date=row.on.isoformat(),
                            budget=budget_on(row.on),
                        ),
                        spending=row,
                    )
                )
            purposes = project.purposes
            if FlagKind.DIVERSION in checked and row.purpose and purposes and row.purpose not in purposes:
                flags.append(
                    Flag(
                        FlagKind.DIVERSION,
                        project,
                        row.on,
                        row.amount,
                        policy_reason(
                            rule,
                            _(
                                "Spending of %(amount)s yuan on %(date)s declared as %(purpose)s, outside the project's purposes (%(allowed)s)"
                            ),
                            amount=row.amount,
                            date=row.on.isoformat(),
                            purpose=_purpose_label(row.purpose),
                            allowed="、".join(_purpose_label(p) for p in purposes),
                        ),
                        spending=row,
                    )
                )
            if FlagKind.ASSET_ABOVE_STANDARD in checked and purchases.get(row.pk):
                in_force = standards_for(project.area.path, row.on, standards)
                for purchase in purchases[row.pk]:
                    std = in_force.get(purchase.item)
                    if std is None or purchase.unit_price <= std.max_unit_price:
                        continue
                    flags.append(
                        Flag(
                            FlagKind.ASSET_ABOVE_STANDARD,
                            project,
                            row.on,
                            purchase.unit_price * purchase.quantity,
                            Reason(
                                message=_(
                                    "%(item)s × %(quantity)s bought on %(date)s at %(price)s yuan each, above the "
                                    "allocation standard of %(max)s yuan"
                                )
                                % {
                                    "item": purchase.item,
                                    "quantity": purchase.quantity,
                                    "date": row.on.isoformat(),
                                    "price": purchase.unit_price,
                                    "max": std.max_unit_price,
                                }
                                + f"（{std.source_document}）",
                                policy_key=CHECKED,
                                value=std.max_unit_price,
                                source=std.source_document,
                            ),
                            spending=row,
                            extra={"standard": std.pk, "purchase": purchase.pk},
                        )
                    )
        if FlagKind.OVER_BUDGET in checked and rows:
            budget = budget_on(on)
            total = sum((r.amount for r in rows), Decimal(0))
            if budget > 0 and total > budget:
                flags.append(
                    Flag(
                        FlagKind.OVER_BUDGET,
                        project,
                        rows[-1].on,
                        total - budget,
                        policy_reason(
                            rule,
                            _(
                                "Spent %(spent)s yuan by %(date)s, %(excess)s yuan over the current budget of %(budget)s"
                            ),
                            spent=total,
                            date=on.isoformat(),
                            excess=total - budget,
                            budget=budget,
                        ),
                    )
                )
    return flags
