"""Scoped reads of consultation and outreach: the daily dispatch figures, the weekly ranking, the
callback-rate series, the overdue list, study-group coverage and the registered poor students.

Definitions (docs/modules/education-outreach.md):

- *tickets*: consultations received in the period; *answered*: with an answer recorded;
  *called back*: of those tickets, the ones with a callback recorded (whenever it happened);
- *callback rate* = called back ÷ tickets, compared with ``education.consultation.callback_target_pct``;
- *resolved*: called back with the outcome "question resolved"; *resolution rate* = resolved ÷ tickets;
- daily dispatch (每天调度) of a day: tickets, answered, callbacks due that day, callbacks done that
  day, callbacks overdue now, the day's callback rate;
- weekly ranking (每周排名) of a week (Monday–Sunday): one row per school (the unit a ticket
  concerns; tickets of the bureau itself form one row), ranked by callback rate, then resolution
  rate, then tickets handled (more first), then name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from jiceng.core.deadlines.models import local_midnight
from jiceng.core.policies.services import PolicyMissing
from jiceng.core.selectors import access_object
from jiceng.education.models import Enrollment, School, Student
from jiceng.education.outreach import rules
from jiceng.education.outreach.choices import CallbackOutcome
from jiceng.education.outreach.models import Consultation, StudyGroup

FIGURES = {
    "tickets": Count("id"),
    "answered": Count("id", filter=~Q(answer="")),
    "called_back": Count("id", filter=Q(callback_done_at__isnull=False)),
    "resolved": Count("id", filter=Q(callback_outcome=CallbackOutcome.RESOLVED)),
}


def access_consultation(user: Any, pk: Any, action: str = "view") -> Consultation:
    queryset = Consultation.objects.select_related("area", "school")
    return access_object(user, Consultation, {"pk": pk}, action, queryset=queryset)


def consultations_in(user: Any, root: Any) -> QuerySet[Consultation]:
    return Consultation.objects.restrict(user, "view").filter(area__path__startswith=root.path)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return local_midnight(day), local_midnight(day + dt.timedelta(days=1))


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def target(root: Any, on: dt.date) -> Any:
    """The callback-rate target in force for ``root`` (``None`` when no policy is set)."""
    try:
        return rules.target_policy(root.path, on)
    except PolicyMissing:
        return None


def _with_rates(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "rate": rules.rate_pct(row["called_back"], row["tickets"]),
        "resolution": rules.rate_pct(row["resolved"], row["tickets"]),
    }


def daily_dispatch(user: Any, root: Any, day: dt.date, *, now: dt.datetime) -> dict[str, Any]:
    """The day's dispatch figures (每天调度) in ``root``'s subtree."""
    qs = consultations_in(user, root)
    start, end = day_bounds(day)
    received = qs.filter(received_at__gte=start, received_at__lt=end).aggregate(**FIGURES)
    due = qs.filter(callback_due_on=day).aggregate(
        due=Count("id"), due_done=Count("id", filter=Q(callback_done_at__isnull=False))
    )
    done = qs.filter(callback_done_at__gte=start, callback_done_at__lt=end).count()
    overdue = qs.filter(callback_done_at__isnull=True, due_at__lte=now).count()
    goal = target(root, day)
    figures = _with_rates(received)
    return {
        **figures,
        "day": day,
        "callbacks_due": due["due"],
        "callbacks_due_done": due["due_done"],
        "callbacks_done": done,
        "overdue": overdue,
        "target": goal,
        "meets_target": figures["rate"] is not None and goal is not None and figures["rate"] >= goal.value,
    }


def daily_series(user: Any, root: Any, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Tickets and callback rate per day from ``start`` to ``end`` (inclusive), one GROUP BY."""
    qs = consultations_in(user, root).filter(received_at__gte=day_bounds(start)[0], received_at__lt=day_bounds(end)[1])
    by_day: dict[dt.date, dict[str, int]] = defaultdict(lambda: {"tickets": 0, "called_back": 0})
    for received_at, done_at in qs.values_list("received_at", "callback_done_at").iterator():
        row = by_day[timezone.localtime(received_at).date()]
        row["tickets"] += 1
        row["called_back"] += done_at is not None
    days = []
    day = start
    while day <= end:
        row = by_day.get(day, {"tickets": 0, "called_back": 0})
        days.append({"day": day, **row, "rate": rules.rate_pct(row["called_back"], row["tickets"])})
        day += dt.timedelta(days=1)
    return days


def weekly_ranking(user: Any, root: Any, start: dt.date) -> list[dict[str, Any]]:
    """The week's ranking (每周排名) of the schools (and the bureau's own tickets) on enrolment
    consultation: tickets, answered, called back, resolved, rates, and the rank."""
    begin, _ = day_bounds(start)
    _, finish = day_bounds(start + dt.timedelta(days=6))
    qs = consultations_in(user, root).filter(received_at__gte=begin, received_at__lt=finish)
    per_unit = [
        {**_with_rates(row), "name": row["school__name"] or root.name, "is_bureau": row["school"] is None}
        for row in qs.values("school", "school__name").annotate(**FIGURES).order_by()
    ]
    none = Decimal(-1)
    ranked = sorted(
        per_unit,
        key=lambda r: (
            -(r["rate"] if r["rate"] is not None else none),
            -(r["resolution"] if r["resolution"] is not None else none),
            -r["tickets"],
            r["name"],
        ),
    )
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    return ranked


def overdue_consultations(user: Any, root: Any, *, now: dt.datetime) -> QuerySet[Consultation]:
    return (
        consultations_in(user, root)
        .filter(callback_done_at__isnull=True, due_at__lte=now)
        .select_related("area", "school")
        .order_by("due_at", "id")
    )


def due_consultations(user: Any, root: Any, *, now: dt.datetime) -> QuerySet[Consultation]:
    return (
        consultations_in(user, root)
        .filter(callback_done_at__isnull=True, due_at__gt=now)
        .select_related("area", "school")
        .order_by("due_at", "id")
    )


# --- study-group coverage ----------------------------------------------------------------------
def village_students(school: School, on: dt.date) -> dict[Any, int]:
    """How many of the school's current students live in each village-level area (their home area)."""
    current = Enrollment.objects.filter(school=school, started_on__lte=on).exclude(ended_on__lt=on)
    rows = (
        Student.objects.filter(pk__in=current.values("student_id"), person__area__level="village")
        .values("person__area", "person__area__name", "person__area__code")
        .annotate(students=Count("id"))
    )
    return {(r["person__area"], r["person__area__name"], r["person__area__code"]): r["students"] for r in rows}


def school_coverage(school: School, on: dt.date) -> dict[str, Any]:
    """Each village where the school has students, its active study groups, and the gaps: villages
    with fewer groups than ``education.study_group.min_per_village``."""
    rule = rules.groups_per_village(school.area.path, on)
    groups = (
        StudyGroup.objects.filter(school=school, formed_on__lte=on)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))
        .values("village")
        .annotate(n=Count("id"))
    )
    per_village = {row["village"]: row["n"] for row in groups}
    villages = []
    for (pk, name, code), students in sorted(village_students(school, on).items(), key=lambda item: item[0][2]):
        count = per_village.get(pk, 0)
        villages.append(
            {"id": pk, "name": name, "code": code, "students": students, "groups": count, "gap": count < rule.value}
        )
    return {
        "school": school,
        "rule": rule,
        "villages": villages,
        "gaps": [v for v in villages if v["gap"]],
        "covered": sum(1 for v in villages if not v["gap"]),
    }


def coverage(user: Any, root: Any, on: dt.date, *, all_schools: bool = False) -> list[dict[str, Any]]:
    """Coverage of the schools in ``root``'s subtree that run study groups (every school: ``all_schools``)."""
    schools = School.objects.restrict(user, "view").filter(area__path__startswith=root.path).select_related("area")
    if not all_schools:
        schools = schools.filter(Exists(StudyGroup.objects.filter(school=OuterRef("pk"))))
    return [school_coverage(school, on) for school in schools.order_by("area__path", "name")]


# --- registered poor students -------------------------------------------------------------------
def poor_students(user: Any, root: Any) -> QuerySet[Student]:
    """Registered poor students in ``root``'s subtree with their aid total and number of records."""
    return (
        Student.objects.restrict(user, "view")
        .filter(is_registered_poor=True, area__path__startswith=root.path)
        .select_related("person", "attending_school")
        .annotate(aid_total=Sum("aid_records__amount_yuan"), aid_count=Count("aid_records", distinct=True))
        .order_by("area__path", "person__name", "id")
    )


__all__ = [
    "access_consultation",
    "coverage",
    "daily_dispatch",
    "daily_series",
    "overdue_consultations",
    "poor_students",
    "school_coverage",
    "week_start",
    "weekly_ranking",
]
