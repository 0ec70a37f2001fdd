"""Scoped reads of the staff app: one plan with its figures, a teacher's rotation history and service
at weaker schools (E03), the recruitment headcount by year (E12)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.apps import apps
from django.db.models import Sum

from jiceng.core.selectors import access_object
from jiceng.education.choices import Employment, MemberRole
from jiceng.education.staff import rules
from jiceng.education.staff.choices import Direction, PlanStatus
from jiceng.education.staff.models import RecruitmentPost, RotationAssignment, RotationPlan


def access_plan(user: Any, pk: Any, action: str = "view") -> RotationPlan:
    queryset = RotationPlan.objects.select_related("area", "group", "group__lead_school")
    return access_object(user, RotationPlan, {"pk": pk}, action, queryset=queryset)


def access_teacher(user: Any, pk: Any) -> Any:
    teacher_model = apps.get_model("education", "Teacher")
    queryset = teacher_model.objects.select_related("person", "school", "area")
    return access_object(user, teacher_model, {"pk": pk}, "view", queryset=queryset)


def plan_assignments(user: Any, plan: RotationPlan) -> Any:
    return (
        RotationAssignment.objects.restrict(user, "view")
        .filter(plan=plan)
        .select_related("teacher__person", "from_school", "to_school", "to_campus")
        .order_by("from_school__name", "teacher__person__name")
    )


def plan_coverage(user: Any, plan: RotationPlan, figures: rules.PlanFigures) -> list[rules.CoverageRow]:
    """The coverage rows of the schools ``user`` may see, the rows touched by the plan first."""
    visible = set(
        apps.get_model("education", "School")
        .objects.restrict(user, "view")
        .filter(pk__in={row.school_id for row in figures.coverage})
        .values_list("pk", flat=True)
    )
    rows = [row for row in figures.coverage if row.school_id in visible]
    return sorted(rows, key=lambda r: (not r.is_broken, not (r.sent or r.received), r.school, r.subject))


# --- E03: service at weaker schools ------------------------------------------------------------
def lead_member_pairs(school_ids: set[int]) -> set[tuple[int, int]]:
    """(lead school, member school) pairs of the groups led by ``school_ids``."""
    membership = apps.get_model("education", "GroupMembership")
    return set(
        membership.objects.filter(group__lead_school_id__in=school_ids, role=MemberRole.MEMBER).values_list(
            "group__lead_school_id", "school_id"
        )
    )


def is_weaker_move(assignment: RotationAssignment, pairs: set[tuple[int, int]]) -> bool:
    """Service at a weaker school: urban → rural, or from a group's lead school to a member school."""
    return assignment.direction == Direction.URBAN_TO_RURAL or (
        (assignment.from_school_id, assignment.to_school_id) in pairs
    )


def service_record(user: Any, teacher: Any, *, on: dt.date) -> dict[str, Any]:
    """A teacher's rotation history (assignments of approved plans, and drafts apart) and the years
    served at weaker schools up to ``on`` — display only, for title promotion and assessment."""
    rows = list(
        RotationAssignment.objects.restrict(user, "view")
        .filter(teacher=teacher)
        .select_related("plan", "from_school", "to_school")
        .order_by("-starts_on")
    )
    pairs = lead_member_pairs({row.from_school_id for row in rows})
    history = []
    days_away = 0
    for row in rows:
        approved = row.plan.status == PlanStatus.APPROVED
        weaker = is_weaker_move(row, pairs)
        served = max(0, (min(row.ends_on, on) - row.starts_on).days) if approved else 0
        if weaker:
            days_away += served
        history.append({"assignment": row, "approved": approved, "weaker": weaker, "served_days": served})
    return {"history": history, "years_away": round(days_away / 365.25, 1)}


# --- E12: recruitment headcount ----------------------------------------------------------------
def recruitment_summary(user: Any) -> list[dict[str, Any]]:
    """Per year: rounds, posts and hires by type (established / contract) of the rounds ``user`` sees."""
    posts = RecruitmentPost.objects.restrict(user, "view")
    figures: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"rounds": set(), "posts": 0, Employment.ESTABLISHED: 0, Employment.CONTRACT: 0}
    )
    for row in posts.values("recruitment_round__year", "recruitment_round_id", "employment").annotate(
        posts_sum=Sum("posts"), hired_sum=Sum("hired")
    ):
        year = figures[row["recruitment_round__year"]]
        year["rounds"].add(row["recruitment_round_id"])
        year["posts"] += row["posts_sum"] or 0
        year[row["employment"]] += row["hired_sum"] or 0
    result = []
    for year in sorted(figures):
        found = figures[year]
        established, contract = found[Employment.ESTABLISHED], found[Employment.CONTRACT]
        result.append(
            {
                "year": year,
                "rounds": len(found["rounds"]),
                "posts": found["posts"],
                "established": established,
                "contract": contract,
                "hired": established + contract,
            }
        )
    return result


def round_totals(user: Any, round_: Any) -> dict[str, int]:
    posts = RecruitmentPost.objects.restrict(user, "view").filter(recruitment_round=round_)
    totals = {"posts": 0, "hired": 0, Employment.ESTABLISHED: 0, Employment.CONTRACT: 0}
    for row in posts.values("employment").annotate(p=Sum("posts"), h=Sum("hired")):
        totals["posts"] += row["p"] or 0
        totals["hired"] += row["h"] or 0
        totals[row["employment"]] += row["h"] or 0
    return totals
