"""Scoped reads of group work: plan completion per member school, a group's dashboard figures, the fund
balance, and the school-building programme totals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from jiceng.core.checklists.models import ChecklistRun, ItemStatus
from jiceng.education.groupwork.choices import FundUse, ProjectKind, ProjectStatus, ResourceKind
from jiceng.education.groupwork.models import (
    BuildingProject,
    CourseResource,
    DiagnosisVisit,
    FundAllocation,
    FundSpending,
    GroupPlan,
    ResearchDay,
)
from jiceng.education.groupwork.services import member_schools
from jiceng.education.models import EducationGroup

CENT = Decimal("0.01")


def _money(value: Any) -> Decimal:
    """A database sum as yuan with two decimals (SQLite sums lose the scale)."""
    return Decimal(value or 0).quantize(CENT)


def _rate(done: int, applicable: int) -> Decimal | None:
    return (Decimal(done) / applicable * 100).quantize(Decimal("0.1")) if applicable else None


def plan_completion(plan: GroupPlan) -> list[dict[str, Any]]:
    """One row per member school's run of the plan: items done / applicable, rate, complete (one query)."""
    if plan.checklist_campaign_id is None:
        return []
    runs = (
        ChecklistRun.objects.filter(campaign_id=plan.checklist_campaign_id)
        .annotate(
            done=Count("results", filter=Q(results__status=ItemStatus.DONE)),
            applicable=Count("results", filter=~Q(results__status=ItemStatus.NOT_APPLICABLE)),
        )
        .order_by("subject_repr")
    )
    return [
        {
            "run": run,
            "school": run.subject_repr,
            "school_id": int(run.object_id),
            "done": run.done,
            "applicable": run.applicable,
            "rate": _rate(run.done, run.applicable),
            "complete": run.completed_at is not None,
        }
        for run in runs
    ]


def plan_summary(plan: GroupPlan) -> dict[str, Any]:
    rows = plan_completion(plan)
    done = sum(r["done"] for r in rows)
    applicable = sum(r["applicable"] for r in rows)
    return {
        "schools": len(rows),
        "complete": sum(r["complete"] for r in rows),
        "done": done,
        "applicable": applicable,
        "rate": _rate(done, applicable),
    }


def allocation_balance(allocation: FundAllocation) -> dict[str, Decimal]:
    spent = _money(allocation.spendings.aggregate(total=Sum("amount_yuan"))["total"])
    return {"allocated": allocation.amount_yuan, "spent": spent, "balance": allocation.amount_yuan - spent}


def fund_by_year(group: EducationGroup) -> list[dict[str, Any]]:
    """Allocated, spent and balance per year of one group (one query)."""
    rows = FundAllocation.objects.filter(group=group).annotate(spent=Sum("spendings__amount_yuan")).order_by("-year")
    return [
        {
            "allocation": a,
            "year": a.year,
            "allocated": a.amount_yuan,
            "spent": _money(a.spent),
            "balance": a.amount_yuan - _money(a.spent),
        }
        for a in rows
    ]


def spending_by_use(allocation: FundAllocation) -> list[dict[str, Any]]:
    labels = dict(FundUse.choices)
    rows = allocation.spendings.values("use").annotate(total=Sum("amount_yuan"), payments=Count("id")).order_by("use")
    return [{**row, "total": _money(row["total"]), "label": str(labels.get(row["use"], row["use"]))} for row in rows]


def group_dashboard(group: EducationGroup, user: Any, *, year: int | None = None) -> dict[str, Any]:
    """Members, plan completion, visits and research days this year, fund allocated/spent/balance and
    the shared resources the user may see — for one group."""
    today = timezone.localdate()
    year = year or today.year
    plans = list(GroupPlan.objects.restrict(user, "view").filter(group=group, year=year).select_related("template"))
    plan_rows = [{"plan": p, **plan_summary(p), "schools_detail": plan_completion(p)} for p in plans]
    visits = DiagnosisVisit.objects.restrict(user, "view").filter(group=group, visited_on__year=year)
    days = ResearchDay.objects.restrict(user, "view").filter(group=group, held_on__year=year)
    allocation = FundAllocation.objects.restrict(user, "view").filter(group=group, year=year).first()
    resources = CourseResource.objects.restrict(user, "view").filter(group=group)
    kinds = dict(ResourceKind.choices)
    attendance = days.aggregate(invited=Sum("invited_count"), attended=Sum("attended_count"))
    return {
        "year": year,
        "members": member_schools(group, today),
        "plans": plan_rows,
        "visits": visits.count(),
        "recent_visits": list(visits.select_related("visited_school", "visited_campus")[:8]),
        "open_follow_ups": visits.exclude(follow_up="").filter(follow_up_done_on__isnull=True).count(),
        "research_days": days.count(),
        "invited": attendance["invited"] or 0,
        "attended": attendance["attended"] or 0,
        "fund": allocation_balance(allocation) if allocation is not None else None,
        "allocation": allocation,
        "resources": resources.count(),
        "resources_by_kind": [
            {**row, "label": str(kinds.get(row["kind"], row["kind"]))}
            for row in resources.values("kind").annotate(n=Count("id")).order_by("kind")
        ],
    }


def visible_groups(user: Any) -> QuerySet[EducationGroup]:
    return EducationGroup.objects.restrict(user, "view").select_related("area", "lead_school")


# --- the building programme ------------------------------------------------------------------
def _scaled(row: dict[str, Any]) -> dict[str, Any]:
    for name in ("investment_yuan", "land_mu", "floor_area_m2"):
        if row.get(name) is not None:
            row[name] = _money(row[name])
    return row


def programme_totals(
    projects: QuerySet[BuildingProject], *, first_year: int | None = None, last_year: int | None = None
) -> dict[str, Any]:
    """Totals of a set of projects (investment, land, floor area, count), by year, kind and status;
    ``planned_schools`` counts the projects still planned (new schools and extensions to come)."""
    if first_year is not None:
        projects = projects.filter(planning_year__gte=first_year)
    if last_year is not None:
        projects = projects.filter(planning_year__lte=last_year)
    sums = {
        "investment_yuan": Sum("investment_yuan"),
        "land_mu": Sum("land_mu"),
        "floor_area_m2": Sum("floor_area_m2"),
        "projects": Count("id"),
    }
    total = projects.aggregate(**sums)
    by_year = [_scaled(r) for r in projects.values("planning_year").annotate(**sums).order_by("planning_year")]
    by_kind = [_scaled(r) for r in projects.values("kind").annotate(**sums).order_by("kind")]
    by_status = [_scaled(r) for r in projects.values("status").annotate(**sums).order_by("status")]
    kinds, statuses = dict(ProjectKind.choices), dict(ProjectStatus.choices)
    for row in by_kind:
        row["label"] = str(kinds.get(row["kind"], row["kind"]))
    for row in by_status:
        row["label"] = str(statuses.get(row["status"], row["status"]))
    planned = projects.filter(status=ProjectStatus.PLANNED)
    return {
        "projects": total["projects"],
        "investment_yuan": _money(total["investment_yuan"]),
        "land_mu": _money(total["land_mu"]),
        "floor_area_m2": _money(total["floor_area_m2"]),
        "planned_schools": planned.count(),
        "first_year": first_year,
        "last_year": last_year,
        "by_year": by_year,
        "by_kind": by_kind,
        "by_status": by_status,
    }


def spendings_of(allocation: FundAllocation, user: Any) -> QuerySet[FundSpending]:
    return FundSpending.objects.restrict(user, "view").filter(allocation=allocation).select_related("school")


__all__ = [
    "allocation_balance",
    "fund_by_year",
    "group_dashboard",
    "plan_completion",
    "plan_summary",
    "programme_totals",
    "spending_by_use",
    "spendings_of",
    "visible_groups",
]
