"""Reads of the finance module: budgets, progress and the monitoring figures on a date.

Only rows dated on or before ``on`` count, so each figure is reproducible for any past date.
Amounts are Decimals (yuan, 2 dp); percentages Decimals with one decimal (``rules.percent``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from jiceng.core.policies.services import PolicyMissing
from jiceng.core.workflow import Reason, policy_reason
from jiceng.finance import rules
from jiceng.finance.models import (
    BudgetAdjustment,
    BudgetProject,
    CarryOverForecast,
    Disbursement,
    Spending,
)

ZERO = Decimal("0.00")


def _total(model: Any, project: Any, on: dt.date) -> Decimal:
    total = model.objects.filter(project=project, on__lte=on).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or ZERO).quantize(Decimal("0.01"))


def current_budget(project: BudgetProject, on: dt.date) -> Decimal:
    """Initial budget plus the additions, adjustments and reductions dated on or before ``on``."""
    return (project.budget + _total(BudgetAdjustment, project, on)).quantize(Decimal("0.01"))


def spent(project: BudgetProject, on: dt.date) -> Decimal:
    return _total(Spending, project, on)


def disbursed(project: BudgetProject, on: dt.date) -> Decimal:
    return _total(Disbursement, project, on)


def carry_over_forecast(project: BudgetProject, on: dt.date) -> Decimal | None:
    """The latest forecast made on or before ``on`` (None when there is none)."""
    row = CarryOverForecast.objects.filter(project=project, on__lte=on).order_by("-on", "-pk").first()
    return row.amount if row else None


def execution_progress(project: BudgetProject, on: dt.date) -> Decimal | None:
    """Spent ÷ current budget on ``on``, in percent with one decimal; None when the budget is zero or less."""
    budget = current_budget(project, on)
    if budget <= 0:
        return None
    return rules.percent(spent(project, on) * rules.HUNDRED / budget)


def time_progress(area_path: str, year: int, on: dt.date) -> Decimal:
    """Time progress of ``year`` on ``on`` for ``area_path`` (method: ``finance.time_progress.method``)."""
    return rules.time_progress(area_path, year, on)[0]


def with_totals(queryset: QuerySet, on: dt.date) -> QuerySet:
    """Annotate ``adjusted`` (sum of adjustments), ``spent_total`` and ``disbursed_total`` up to ``on``."""
    money = DecimalField(max_digits=16, decimal_places=2)

    def total(model: Any) -> Any:
        rows = (
            model.objects.filter(project=OuterRef("pk"), on__lte=on)
            .order_by()
            .values("project")
            .annotate(t=Sum("amount"))
            .values("t")
        )
        return Coalesce(Subquery(rows, output_field=money), Value(ZERO), output_field=money)

    return queryset.annotate(
        adjusted=total(BudgetAdjustment), spent_total=total(Spending), disbursed_total=total(Disbursement)
    )


def monitoring(project: BudgetProject, on: dt.date, *, totals: tuple[Decimal, Decimal] | None = None) -> dict[str, Any]:
    """The monitoring figures of ``project`` on ``on``.

    ``{"time_progress", "execution_progress", "lag_points"`` (Decimal, one decimal, or None),
    ``"key_monitoring"`` (bool: on the finance bureau's watch list), ``"monitored"`` (in scope),
    ``"current_budget"``, ``"spent"``, ``"reasons"`` (list of ``Reason``)}. ``totals`` = (current
    budget, spent) when the caller has them already (the watch list annotates them).
    """
    budget, spent_amount = totals if totals is not None else (current_budget(project, on), spent(project, on))
    monitored, reasons = rules.scope_decision(project, on)
    time_pct, method = rules.time_progress(project.area.path, project.year, on)
    exec_pct = rules.percent(spent_amount * rules.HUNDRED / budget) if budget > 0 else None
    lag = (time_pct - exec_pct) if exec_pct is not None else None
    key = False
    if monitored:
        if project.major and rules.is_county_level(project) and lag is not None:
            try:
                threshold = rules.policy_for(rules.KEY_LAG_PP, project.area.path, on)
            except PolicyMissing as exc:
                reasons.append(Reason(message=str(exc)))
            else:
                if lag > threshold.value:
                    key = True
                    reasons.append(rules.lag_reason(threshold, time_pct, exec_pct, lag))  # type: ignore[arg-type]
        if project.incremental_policy and project.adopted_on and project.adopted_on <= on:
            try:
                rule = rules.policy_for(rules.KEY_INCREMENTAL, project.area.path, on)
            except PolicyMissing as exc:
                reasons.append(Reason(message=str(exc)))
            else:
                if rule.value:
                    key = True
                    reasons.append(
                        policy_reason(
                            rule,
                            _("Incremental policy adopted on %(date)s during the year"),
                            date=project.adopted_on.isoformat(),
                        )
                    )
    if exec_pct is None:
        reasons.append(Reason(message=_("The current budget is zero: execution progress is undefined")))
    return {
        "time_progress": time_pct,
        "execution_progress": exec_pct,
        "lag_points": lag,
        "key_monitoring": key,
        "monitored": monitored,
        "current_budget": budget,
        "spent": spent_amount,
        "method": method,
        "reasons": reasons,
    }


def watch_list(queryset: QuerySet, on: dt.date) -> list[tuple[BudgetProject, dict[str, Any]]]:
    """The projects of ``queryset`` (of ``on``'s year) on the finance bureau's watch list on ``on``,
    each with its monitoring figures; candidates are major or incremental-policy projects."""
    from django.db.models import Q

    candidates = (
        with_totals(queryset.filter(year=on.year).filter(Q(major=True) | Q(incremental_policy=True)), on)
        .select_related("unit", "area")
        .order_by("unit__name", "name")
    )
    entries = []
    for project in candidates:
        budget = (project.budget + project.adjusted).quantize(Decimal("0.01"))
        figures = monitoring(project, on, totals=(budget, Decimal(project.spent_total)))
        if figures["key_monitoring"]:
            entries.append((project, figures))
    return entries


def monitored_set(queryset: QuerySet, on: dt.date | None = None) -> list[tuple[BudgetProject, bool, list[Reason]]]:
    """Every project of ``queryset`` with its scope decision."""
    return [(p, *rules.scope_decision(p, on)) for p in queryset.select_related("area", "unit")]
