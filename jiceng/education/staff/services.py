"""Writes of the staff app: exchange plans (create, generate, adjust, approve), mentor pairs and
recruitment rounds.

A rule's refusal is a ``GuardFailed`` (HTTP 409) naming each rule with its policy and numbers; bad
input is ``InvalidInput`` (400). Nothing is written when either is raised (every service runs in one
transaction). Plans are edited only as drafts; an approved plan is the record of who went where.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.policies.services import get_policy
from jiceng.core.scope import user_can
from jiceng.core.workflow import GuardFailed, Reason, TransitionRefused, policy_reason
from jiceng.core.workflow.services import apply_transition, list_refusals
from jiceng.education.choices import Location
from jiceng.education.staff import generator, rules
from jiceng.education.staff.choices import AssignmentRole, Direction, PlanStatus
from jiceng.education.staff.models import MentorPair, RotationAssignment, RotationPlan


def _model(name: str) -> Any:
    return apps.get_model("education", name)


def direction_of(from_location: str, to_location: str) -> str:
    if from_location == to_location:
        return Direction.SAME_SIDE
    return Direction.URBAN_TO_RURAL if from_location == Location.URBAN else Direction.RURAL_TO_URBAN


# --- plans ------------------------------------------------------------------------------------
def school_year_dates(area: Any, year: int) -> tuple[dt.date, dt.date] | None:
    """The county calendar's dates of school year ``year`` for ``area`` (its own row or an ancestor's)."""
    from jiceng.core.scope import ancestor_paths

    found = (
        _model("SchoolYear")
        .objects.filter(year=year, area__path__in=ancestor_paths(area.path))
        .order_by("-area__path")
        .first()
    )
    return (found.starts_on, found.ends_on) if found else None


def _plan_data(data: Mapping[str, Any], plan: RotationPlan | None) -> dict[str, Any]:
    data = dict(data)
    group = data.get("group", plan.group if plan else None)
    if group is not None:
        data["area"] = group.area
    area = data.get("area", plan.area if plan else None)
    year = data.get("year", plan.year if plan else None)
    if area is None:
        raise InvalidInput(_("A plan belongs to a county (its area) or an education group."), field="area")
    if not year:
        raise InvalidInput(_("A plan is for one school year."), field="year")
    if not data.get("starts_on") and not (plan and plan.starts_on):
        dates = school_year_dates(area, year)
        if dates is None:
            raise InvalidInput(
                _("No school year %(year)s in the calendar of %(area)s: give the exchange period.")
                % {"year": year, "area": area.name},
                field="starts_on",
            )
        data["starts_on"] = dates[0]
        data["ends_on"] = data.get("ends_on") or dates[1]
    if not data.get("name") and plan is None:
        owner = group.name if group is not None else area.name
        data["name"] = _("%(owner)s %(year)s exchange plan") % {"owner": owner, "year": year}
    return data


def do_create_plan(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> RotationPlan:
    """Open a draft exchange plan for a county (or a group) and a school year; the period defaults
    to the county's school year."""
    prepared = _plan_data(data, None)
    with transaction.atomic():
        return services.do_create(RotationPlan, data=prepared, acting_user=acting_user, comment=comment)


def _require_draft(plan: RotationPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise InvalidInput(
            _("Only a draft plan can be changed; this one is “%(status)s”.") % {"status": plan.get_status_display()},
            code="not_a_draft",
        )


def do_update_plan(plan: RotationPlan, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> RotationPlan:
    _require_draft(plan)
    for name in ("area", "group", "year"):
        if name in data and data[name] != getattr(plan, name):
            raise InvalidInput(_("A plan keeps its county, group and year."), field=name)
    with transaction.atomic():
        return services.do_update(plan, data=dict(data), acting_user=acting_user, comment=comment)


def do_delete_plan(plan: RotationPlan, *, acting_user: Any, comment: str = "") -> None:
    _require_draft(plan)
    with transaction.atomic():
        for assignment in plan.assignments.all():
            services.do_delete(assignment, acting_user=acting_user, comment=comment)
        services.do_delete(plan, acting_user=acting_user, comment=comment)


def plan_schools(plan: RotationPlan) -> Any:
    """The schools a plan moves teachers between."""
    ids = rules.plan_school_ids(plan)
    schools = _model("School").objects.all()
    return schools.filter(area__path__startswith=plan.area.path) if ids is None else schools.filter(pk__in=ids)


def busy_teacher_ids(plan: RotationPlan) -> set[int]:
    """Teachers with an assignment in another plan whose period overlaps this plan's."""
    return set(
        RotationAssignment.objects.exclude(plan=plan)
        .filter(starts_on__lt=plan.ends_on, ends_on__gt=plan.starts_on)
        .values_list("teacher_id", flat=True)
    )


def generator_input(plan: RotationPlan) -> tuple[list[generator.TeacherRow], dict[int, str], int, Any]:
    """The teachers, the schools' sides, the required count and the share policy for ``propose``."""
    on = plan.starts_on
    window = rules.policy(rules.RECENT_WINDOW_YEARS, plan).value
    avoid_age = rules.policy(rules.AVOID_AGE_FROM, plan).value
    quota = rules.policy(rules.QUOTA_PCT, plan)
    share = rules.policy(rules.DIRECTION_SHARE_PCT, plan)
    pool = rules.quota_teachers(plan)
    full_time = pool.count()
    recent = set(
        RotationAssignment.objects.filter(
            plan__status=PlanStatus.APPROVED,
            plan__year__gte=plan.year - window,
            plan__year__lt=plan.year,
            teacher__in=pool,
        ).values_list("teacher_id", flat=True)
    )
    busy = busy_teacher_ids(plan)
    oldest_birth = dt.date(on.year - avoid_age, on.month, min(on.day, 28))
    rows = [
        generator.TeacherRow(
            id=row["id"],
            school_id=row["school_id"],
            subject=row["subject"],
            is_recent=row["id"] in recent,
            is_near_retirement=row["person__birth_date"] is not None and row["person__birth_date"] <= oldest_birth,
            is_middle_manager=row["is_middle_manager"],
        )
        for row in pool.values("id", "school_id", "subject", "is_middle_manager", "person__birth_date").order_by("id")
        if row["id"] not in busy
    ]
    schools = plan_schools(plan)
    if plan.group_id is None:
        sides = {pk: ("A" if loc == Location.URBAN else "B") for pk, loc in schools.values_list("pk", "location")}
    else:
        sides = {pk: ("A" if pk == plan.group.lead_school_id else "B") for pk in schools.values_list("pk", flat=True)}
    required = generator.required_count(quota.value, full_time)
    return rows, sides, required, share.value if plan.group_id is None else 0


def do_generate_plan(
    plan: RotationPlan, *, seed: int, acting_user: Any, comment: str = ""
) -> tuple[RotationPlan, generator.Proposal, float]:
    """Replace a draft plan's assignments by a generated proposal (deterministic from ``seed``).

    Returns the plan, the proposal (moved, required, shortfall) and the seconds the generation took.
    """
    _require_draft(plan)
    started = time.perf_counter()
    rows, sides, required, share = generator_input(plan)
    proposal = generator.propose(rows, sides, required=required, min_share_pct=share, seed=seed)
    elapsed = time.perf_counter() - started
    teachers = {row.id: row for row in rows}
    locations = dict(plan_schools(plan).values_list("pk", "location"))
    with transaction.atomic():
        replaced = plan.assignments.select_related("teacher__person", "from_school", "to_school", "to_campus", "area")
        for old in replaced:
            services.do_delete(old, acting_user=acting_user, comment=_("Regenerated."))
        created = [
            RotationAssignment(
                plan=plan,
                teacher_id=move.teacher_id,
                from_school_id=move.from_school_id,
                to_school_id=move.to_school_id,
                subject=move.subject,
                starts_on=plan.starts_on,
                ends_on=plan.ends_on,
                role=AssignmentRole.MIDDLE_MANAGER
                if teachers[move.teacher_id].is_middle_manager
                else AssignmentRole.TEACHER,
                direction=direction_of(locations[move.from_school_id], locations[move.to_school_id]),
                is_demo=plan.is_demo,
            )
            for move in proposal.moves
        ]
        # instances, not ids: the scope check reads the area's path and the audit the row's label without a query
        schools = {school.pk: school for school in plan_schools(plan).select_related("area")}
        moved = _model("Teacher").objects.select_related("person").in_bulk([m.teacher_id for m in proposal.moves])
        for obj in created:
            obj.teacher = moved[obj.teacher_id]
            obj.from_school, obj.to_school = schools[obj.from_school_id], schools[obj.to_school_id]
            obj.area = obj.from_school.area
        services.do_bulk_create(RotationAssignment, created, acting_user=acting_user, comment=comment, validate=False)
        plan = services.do_update(
            plan, data={"seed": seed, "generated_at": timezone.now()}, acting_user=acting_user, comment=comment
        )
    return plan, proposal, elapsed


# --- assignments (the bureau's adjustments) -------------------------------------------------
def _assignment_data(plan: RotationPlan, data: Mapping[str, Any], current: RotationAssignment | None) -> dict[str, Any]:
    data = dict(data)
    teacher = data.get("teacher", current.teacher if current else None)
    to_campus = data.get("to_campus", current.to_campus if current else None)
    to_school = data.get("to_school", current.to_school if current else None) or (
        to_campus.school if to_campus is not None else None
    )
    if teacher is None:
        raise InvalidInput(_("Choose the teacher."), field="teacher")
    if to_school is None:
        raise InvalidInput(_("Choose the host school."), field="to_school")
    if not rules.quota_teachers(plan).filter(pk=teacher.pk).exists():
        raise InvalidInput(
            _("%(teacher)s is not a full-time teacher of this plan's schools.") % {"teacher": teacher},
            field="teacher",
        )
    if not plan_schools(plan).filter(pk=to_school.pk).exists():
        raise InvalidInput(_("The host school is not one of this plan's schools."), field="to_school")
    if to_campus is not None and to_campus.school_id != to_school.pk:
        raise InvalidInput(_("The host campus belongs to another school."), field="to_campus")
    if to_school.pk == teacher.school_id and to_campus is None:
        raise InvalidInput(
            _("The host school is the teacher's own school (choose another campus of it, if it has one)."),
            field="to_school",
        )
    starts_on = data.get("starts_on") or (current.starts_on if current else plan.starts_on)
    ends_on = data.get("ends_on") or (current.ends_on if current else plan.ends_on)
    if ends_on <= starts_on:
        raise InvalidInput(_("The period must end after it starts."), field="ends_on")
    clash = (
        RotationAssignment.objects.filter(teacher=teacher, starts_on__lt=ends_on, ends_on__gt=starts_on)
        .exclude(pk=current.pk if current else None)
        .select_related("plan")
        .first()
    )
    if clash is not None:
        raise InvalidInput(
            _("%(teacher)s is already assigned for %(start)s – %(end)s in “%(plan)s”.")
            % {"teacher": teacher, "start": clash.starts_on, "end": clash.ends_on, "plan": clash.plan},
            field="teacher",
        )
    data.update(
        {
            "plan": plan,
            "teacher": teacher,
            "to_school": to_school,
            "to_campus": to_campus,
            "from_school": teacher.school,
            "subject": teacher.subject,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "direction": direction_of(teacher.school.location, to_school.location),
            "adjusted_by_bureau": True,
        }
    )
    if not data.get("role"):
        data["role"] = AssignmentRole.MIDDLE_MANAGER if teacher.is_middle_manager else AssignmentRole.TEACHER
    if plan.group_id is None and data["direction"] == Direction.SAME_SIDE:
        raise InvalidInput(
            _("A county plan exchanges teachers between urban and rural schools; both schools are %(side)s.")
            % {"side": Location(to_school.location).label},
            field="to_school",
        )
    return data


def do_add_assignment(
    plan: RotationPlan, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> RotationAssignment:
    """The bureau adds a teacher to a draft plan (marked ``adjusted_by_bureau``)."""
    _require_draft(plan)
    with transaction.atomic():
        return services.do_create(
            RotationAssignment, data=_assignment_data(plan, data, None), acting_user=acting_user, comment=comment
        )


def do_update_assignment(
    assignment: RotationAssignment, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> RotationAssignment:
    """The bureau changes an assignment of a draft plan (host school, period, role or teacher)."""
    plan = assignment.plan
    _require_draft(plan)
    if "plan" in data and data["plan"] != plan:
        raise InvalidInput(_("An assignment stays in its plan."), field="plan")
    prepared = _assignment_data(plan, data, assignment)
    with transaction.atomic():
        return services.do_update(assignment, data=prepared, acting_user=acting_user, comment=comment)


def do_remove_assignment(assignment: RotationAssignment, *, acting_user: Any, comment: str = "") -> None:
    _require_draft(assignment.plan)
    with transaction.atomic():
        services.do_delete(assignment, acting_user=acting_user, comment=comment)


# --- approval ---------------------------------------------------------------------------------
def refusals(plan: RotationPlan, *, acting_user: Any, on: dt.date | None = None) -> list[Reason]:
    """What would stop ``acting_user`` approving the plan now (empty: it may be approved)."""
    on = on or timezone.localdate()
    found = list_refusals(plan, "approve", acting_user=acting_user, on=on)
    if acting_user is not None and user_can(acting_user, plan, "approve_rotationplan"):
        reason = rules.approver_reason(plan, acting_user, on=on)
        found = ([reason] if reason else []) + found
    return found


def do_approve_plan(plan: RotationPlan, *, acting_user: Any, comment: str = "") -> RotationPlan:
    """Approve a draft plan (the bureau, at the policy's level): the quota, both directions and the
    subject coverage are checked again; a refusal lists every rule broken and writes nothing."""
    today = timezone.localdate()
    if acting_user is not None:
        if not user_can(acting_user, plan, "approve_rotationplan"):
            raise PermissionRefused(_("You may not approve exchange plans here."))
        found = refusals(plan, acting_user=acting_user, on=today)
        if found:
            raise GuardFailed(found, transition="approve")
    try:
        with transaction.atomic():
            moved = apply_transition(plan, "approve", acting_user=acting_user, comment=comment, on=today)
    except TransitionRefused as exc:
        if isinstance(exc, GuardFailed):
            raise
        raise GuardFailed(exc.reasons, transition="approve") from exc
    return moved  # type: ignore[return-value]


# --- mentor pairs -----------------------------------------------------------------------------
def _pair_data(data: Mapping[str, Any], pair: MentorPair | None) -> dict[str, Any]:
    data = dict(data)
    mentor = data.get("mentor", pair.mentor if pair else None)
    mentee = data.get("mentee", pair.mentee if pair else None)
    group = data.get("group", pair.group if pair else None)
    starts_on = data.get("starts_on", pair.starts_on if pair else None)
    if mentor is None or mentee is None:
        raise InvalidInput(_("A pair needs a mentor and a mentee."), field="mentor" if mentor is None else "mentee")
    if mentor.pk == mentee.pk:
        raise InvalidInput(_("A teacher does not mentor themselves."), field="mentee")
    if starts_on is None:
        raise InvalidInput(_("When does the pairing start?"), field="starts_on")
    if group is not None:
        members = set(group.current_members(starts_on).values_list("school_id", flat=True)) | {group.lead_school_id}
        if not {mentor.school_id, mentee.school_id} <= members:
            raise InvalidInput(_("Both teachers teach at schools of the group."), field="group")
    elif mentor.school_id != mentee.school_id:
        raise InvalidInput(
            _("The mentor teaches at another school: choose the education group they share."), field="group"
        )
    rule = get_policy(rules.MENTEE_MAX_YEARS, area_path=mentee.area.path, on=starts_on)
    if mentee.hired_on is None:
        raise GuardFailed(
            [
                policy_reason(
                    rule,
                    _("%(mentee)s has no hiring date; a mentee is a teacher hired less than %(value)s %(unit)s ago"),
                    mentee=mentee,
                )
            ],
            transition="create",
        )
    limit = dt.date(mentee.hired_on.year + rule.value, mentee.hired_on.month, min(mentee.hired_on.day, 28))
    if starts_on >= limit:
        raise GuardFailed(
            [
                policy_reason(
                    rule,
                    _(
                        "%(mentee)s was hired on %(hired)s, more than %(value)s %(unit)s before %(start)s; a mentee is "
                        "a young or new teacher"
                    ),
                    mentee=mentee,
                    hired=mentee.hired_on,
                    start=starts_on,
                )
            ],
            transition="create",
        )
    data["school"] = mentee.school
    return data


def do_create_mentor_pair(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> MentorPair:
    """Pair a mentor with a young or new teacher (青蓝结对): the mentee was hired within the policy's years."""
    prepared = _pair_data(data, None)
    with transaction.atomic():
        return services.do_create(MentorPair, data=prepared, acting_user=acting_user, comment=comment)


def do_update_mentor_pair(
    pair: MentorPair, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> MentorPair:
    prepared = _pair_data(data, pair)
    with transaction.atomic():
        return services.do_update(pair, data=prepared, acting_user=acting_user, comment=comment)
