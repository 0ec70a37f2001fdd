"""The exchange rules (E02) as policies and guards; the figures a plan is judged by.

Every number is a policy read for the plan's area on the day its exchange starts:

- quota: ``education.teacher_exchange_min_pct`` — at least ceil(pct × full-time teachers) teachers are
  exchanged (county plan: those crossing between urban and rural schools, over the county's full-time
  teachers; group plan: every assignment, over the full-time teachers of the group's schools);
- balance: ``education.exchange.min_share_each_direction_pct`` — in a county plan each direction
  (urban → rural, rural → urban) has at least that share of the crossing assignments;
- coverage: no school sends away every one of its own full-time teachers of a subject it teaches
  (a fact, no number: the guard cites no policy);
- approval: ``education.exchange.approver_level`` names the lowest area level (county) at which the
  approver must hold ``approve_rotationplan`` over the plan's area.

"Full-time teachers" are ``Teacher.is_full_time`` rows still employed on the plan's start date
(``left_on`` empty or later, ``hired_on`` empty or earlier).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from jiceng.core.policies.services import PolicyValue, get_policy
from jiceng.core.scope import user_scope_paths
from jiceng.core.workflow import GuardList, Reason, guard, policy_reason
from jiceng.directory.models import LEVEL_ORDER, AreaLevel
from jiceng.education.staff.generator import required_count

QUOTA_PCT = "education.teacher_exchange_min_pct"  # bundled core seed (莘县, seed 000)
DIRECTION_SHARE_PCT = "education.exchange.min_share_each_direction_pct"
RECENT_WINDOW_YEARS = "education.exchange.recent_window_years"
AVOID_AGE_FROM = "education.exchange.avoid_age_from"
APPROVER_LEVEL = "education.exchange.approver_level"
MENTEE_MAX_YEARS = "education.mentoring.mentee_max_years"
APPROVE_PERMISSION = "education_staff.approve_rotationplan"


def policy(key: str, plan: Any, on: dt.date | None = None) -> PolicyValue:
    return get_policy(key, area_path=plan.area.path, on=on or plan.starts_on)


# --- who counts --------------------------------------------------------------------------------
def employed_q(on: dt.date, prefix: str = "") -> Q:
    """Full-time teachers still employed on ``on`` (``prefix``: a lookup to the teacher)."""
    return (
        Q(**{f"{prefix}is_full_time": True})
        & (Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on}))
        & (Q(**{f"{prefix}hired_on__isnull": True}) | Q(**{f"{prefix}hired_on__lte": on}))
    )


def plan_school_ids(plan: Any) -> list[int] | None:
    """The schools of a group plan (its members on the start date and the lead school); ``None``: a
    county plan (every school in the area)."""
    if plan.group_id is None:
        return None
    ids = set(plan.group.current_members(plan.starts_on).values_list("school_id", flat=True))
    ids.add(plan.group.lead_school_id)
    return sorted(ids)


def quota_teachers(plan: Any) -> QuerySet[Any]:
    """The full-time teachers the plan's quota is counted over (unscoped: a fact of the county)."""
    teachers = apps.get_model("education", "Teacher").objects.filter(employed_q(plan.starts_on))
    ids = plan_school_ids(plan)
    if ids is None:
        return teachers.filter(area__path__startswith=plan.area.path)
    return teachers.filter(school_id__in=ids)


def counted_assignments(plan: Any) -> QuerySet[Any]:
    """The assignments that count for the quota (county plan: the crossing ones)."""
    from jiceng.education.staff.choices import CROSSING

    assignments = plan.assignments.all()
    return assignments if plan.group_id else assignments.filter(direction__in=CROSSING)


# --- the figures -------------------------------------------------------------------------------
@dataclass
class CoverageRow:
    school_id: int
    school: str
    subject: str
    own: int  # the school's full-time teachers of the subject
    sent: int
    received: int

    @property
    def subject_label(self) -> str:
        from jiceng.education.choices import Subject

        return str(Subject(self.subject).label) if self.subject in Subject.values else self.subject

    @property
    def present(self) -> int:
        return self.own - self.sent + self.received

    @property
    def is_broken(self) -> bool:
        return self.own > 0 and self.sent >= self.own


@dataclass
class PlanFigures:
    full_time: int
    exchanged: int
    required: int
    quota: PolicyValue
    share: PolicyValue | None
    directions: dict[str, int]
    coverage: list[CoverageRow] = field(default_factory=list)

    @property
    def percent(self) -> Decimal:
        return (
            (Decimal(self.exchanged) * 100 / self.full_time).quantize(Decimal("0.1")) if self.full_time else Decimal(0)
        )

    @property
    def quota_met(self) -> bool:
        return self.exchanged >= self.required

    @property
    def broken(self) -> list[CoverageRow]:
        return [row for row in self.coverage if row.is_broken]


def coverage(plan: Any) -> list[CoverageRow]:
    """Per school and subject it teaches: own full-time teachers, sent away, received."""
    own = (
        quota_teachers(plan)
        .values("school_id", "school__name", "subject")
        .annotate(n=Count("id"))
        .order_by("school__name", "subject")
    )
    sent: dict[tuple[int, str], int] = defaultdict(int)
    received: dict[tuple[int, str], int] = defaultdict(int)
    for row in plan.assignments.values("from_school_id", "to_school_id", "subject"):
        if row["from_school_id"] == row["to_school_id"]:
            continue  # to another campus of its own school: the school keeps the teacher
        sent[(row["from_school_id"], row["subject"])] += 1
        received[(row["to_school_id"], row["subject"])] += 1
    return [
        CoverageRow(
            school_id=row["school_id"],
            school=row["school__name"],
            subject=row["subject"],
            own=row["n"],
            sent=sent.get((row["school_id"], row["subject"]), 0),
            received=received.get((row["school_id"], row["subject"]), 0),
        )
        for row in own
    ]


def plan_figures(plan: Any, *, with_coverage: bool = True) -> PlanFigures:
    quota = policy(QUOTA_PCT, plan)
    full_time = quota_teachers(plan).count()
    directions = dict(plan.assignments.values_list("direction").annotate(n=Count("id")).order_by())
    return PlanFigures(
        full_time=full_time,
        exchanged=counted_assignments(plan).count(),
        required=required_count(quota.value, full_time),
        quota=quota,
        share=None if plan.group_id else policy(DIRECTION_SHARE_PCT, plan),
        directions=directions,
        coverage=coverage(plan) if with_coverage else [],
    )


# --- guards of approval -----------------------------------------------------------------------
@guard
def quota_met(plan: Any, *, on: dt.date) -> Reason | None:
    figures = plan_figures(plan, with_coverage=False)
    if figures.quota_met:
        return None
    base = _("the group's full-time teachers") if plan.group_id else _("the county's full-time teachers")
    return policy_reason(
        figures.quota,
        _(
            "%(exchanged)s teachers are exchanged, %(required)s are needed: at least %(value)s%(unit)s of "
            "%(base)s (%(full_time)s) are exchanged each year"
        ),
        exchanged=figures.exchanged,
        required=figures.required,
        base=base,
        full_time=figures.full_time,
        unit="%" if figures.quota.unit in ("", "%") else figures.quota.unit,
    )


@guard
def both_directions(plan: Any, *, on: dt.date) -> Reason | None:
    """County plans only: each direction keeps its share of the crossing assignments."""
    from jiceng.education.staff.choices import Direction

    if plan.group_id:
        return None
    share = policy(DIRECTION_SHARE_PCT, plan)
    counts = dict(counted_assignments(plan).values_list("direction").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    weak = [
        d for d in (Direction.URBAN_TO_RURAL, Direction.RURAL_TO_URBAN) if counts.get(d, 0) * 100 < share.value * total
    ]
    if not weak or total == 0:
        return None
    return policy_reason(
        share,
        _(
            "The exchange goes both ways: urban → rural %(out)s, rural → urban %(back)s of %(total)s; each "
            "direction needs at least %(value)s%% of them"
        ),
        out=counts.get(Direction.URBAN_TO_RURAL, 0),
        back=counts.get(Direction.RURAL_TO_URBAN, 0),
        total=total,
    )


class SubjectsCovered(GuardList):
    """One reason per school and subject whose last own teacher the plan sends away."""

    def reasons(self, obj: Any, *, on: dt.date | None = None) -> list[Reason]:
        from jiceng.education.choices import Subject

        return [
            Reason(
                message=_(
                    "%(school)s would send away all %(own)s of its %(subject)s teachers (%(received)s received "
                    "in exchange): a school keeps at least one of its own teachers of each subject it teaches"
                )
                % {
                    "school": row.school,
                    "own": row.own,
                    "subject": Subject(row.subject).label,
                    "received": row.received,
                }
            )
            for row in coverage(obj)
            if row.is_broken
        ]


@guard
def not_empty(plan: Any, *, on: dt.date) -> Reason | None:
    if plan.assignments.exists():
        return None
    return Reason(message=_("The plan has no assignments; generate it or add them first."))


APPROVE = GuardList(
    "education.exchange.approve",
    [not_empty, quota_met, both_directions, SubjectsCovered("education.exchange.coverage")],
)


# --- approval by level ------------------------------------------------------------------------
def level_depth(level: str) -> int:
    return LEVEL_ORDER.index(AreaLevel(level)) + 1


def approver_reason(plan: Any, user: Any, *, on: dt.date) -> Reason | None:
    """The approver holds ``approve_rotationplan`` over the plan's area at the policy's level or above."""
    rule = get_policy(APPROVER_LEVEL, area_path=plan.area.path, on=on)
    required = level_depth(rule.value)
    path = plan.area.path
    held = [p for p in user_scope_paths(user, APPROVE_PERMISSION) if path.startswith(p)]
    best = min((p.count("/") for p in held), default=None)
    if best is not None and best <= required:
        return None
    held_label = (
        _("%(level)s level") % {"level": AreaLevel(LEVEL_ORDER[best - 1]).label} if best else _("no approval rights")
    )
    return policy_reason(
        rule,
        _(
            "An exchange plan is approved by staff holding approval rights at %(required)s level or above; "
            "yours over %(area)s: %(held)s"
        ),
        required=AreaLevel(rule.value).label,
        area=plan.area.name,
        held=held_label,
    )
