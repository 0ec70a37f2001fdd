"""Writes of the education registry: enrollments (学籍) and the class-size marks they move.

Every write goes through ``jiceng.core.services`` (validated, audited, scope-checked) inside one
transaction. The enrollment services keep two invariants the rest of the module reads:

- a student's ``area`` is the area of the school of their open enrollment (so scope follows the
  registration), and
- a class's ``oversized_since`` / ``cleared_on`` mark when it last went over the cap and when it came
  back within it (``refresh_size_marks``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.policies.services import PolicyMissing, PolicyValue, get_policy
from jiceng.core.scope import ancestor_paths
from jiceng.core.workflow import GuardFailed, Reason, policy_reason
from jiceng.education import sizes
from jiceng.education.choices import STAGE_GRADES, EnrollmentEnd, EnrollmentReason, MemberRole, SchoolStage
from jiceng.education.models import (
    AttendanceStatus,
    EducationGroup,
    Enrollment,
    GroupMembership,
    School,
    SchoolClass,
    SchoolYear,
    Student,
)


def refresh_size_marks(school_class: SchoolClass, *, on: dt.date, acting_user: Any) -> SchoolClass:
    """Set ``oversized_since`` when the class goes over the cap, ``cleared_on`` when it comes back."""
    size = sizes.class_size(school_class)
    cap = sizes.cap_policy(school_class.school, on).value
    data: dict[str, Any] = {}
    if size > cap and school_class.oversized_since is None:
        data = {"oversized_since": on, "cleared_on": None}
    elif size <= cap and school_class.oversized_since is not None:
        data = {"oversized_since": None, "cleared_on": on}
    if data:
        school_class = services.do_update(school_class, data=data, acting_user=acting_user)
    return school_class


def do_enroll(
    student: Student,
    school_class: SchoolClass,
    *,
    on: dt.date,
    acting_user: Any,
    reason: str = EnrollmentReason.ADMISSION,
    comment: str = "",
) -> Enrollment:
    """Open an enrollment of ``student`` in ``school_class`` from ``on`` (the student has none open)."""
    with transaction.atomic():
        enrollment = services.do_create(
            Enrollment,
            data={
                "student": student,
                "school": school_class.school,
                "school_class": school_class,
                "started_on": on,
                "reason": reason,
            },
            acting_user=acting_user,
            comment=comment,
        )
        if student.area_id != school_class.school.area_id:
            services.do_update(student, data={"area": school_class.school.area}, acting_user=acting_user)
        refresh_size_marks(school_class, on=on, acting_user=acting_user)
    return enrollment


def do_end_enrollment(
    enrollment: Enrollment, *, on: dt.date, end_reason: str, acting_user: Any, comment: str = ""
) -> Enrollment:
    """Close an open enrollment on ``on`` (promoted, transferred, graduated, left)."""
    with transaction.atomic():
        enrollment = services.do_update(
            enrollment, data={"ended_on": on, "end_reason": end_reason}, acting_user=acting_user, comment=comment
        )
        refresh_size_marks(enrollment.school_class, on=on, acting_user=acting_user)
    return enrollment


def do_move(
    student: Student,
    to_class: SchoolClass,
    *,
    on: dt.date,
    acting_user: Any,
    reason: str = EnrollmentReason.TRANSFER,
    comment: str = "",
) -> Enrollment:
    """End the student's open enrollment on ``on`` and open one in ``to_class`` from the same day."""
    with transaction.atomic():
        current = student.enrollments.filter(ended_on__isnull=True).select_for_update(no_key=True).first()
        if current is not None:
            end = EnrollmentEnd.TRANSFERRED if current.school_id != to_class.school_id else EnrollmentEnd.PROMOTED
            do_end_enrollment(current, on=on, end_reason=end, acting_user=acting_user, comment=comment)
        return do_enroll(student, to_class, on=on, acting_user=acting_user, reason=reason, comment=comment)


def current_enrollment(student: Student) -> Enrollment | None:
    return student.enrollments.filter(ended_on__isnull=True).select_related("school", "school_class").first()


# --- school years --------------------------------------------------------------------------------
def school_year_for(area: Any, year: int) -> SchoolYear | None:
    """The calendar of ``year`` that applies to ``area``: its own, else the nearest ancestor's."""
    paths = ancestor_paths(area.path)
    rows = {
        row.area.path: row for row in SchoolYear.objects.filter(year=year, area__path__in=paths).select_related("area")
    }
    for path in reversed(paths):
        if path in rows:
            return rows[path]
    return None


def current_school_year(area: Any, on: dt.date) -> SchoolYear | None:
    """The school year that ``on`` falls in for ``area`` (the latest started on or before ``on``)."""
    paths = ancestor_paths(area.path)
    rows = SchoolYear.objects.filter(area__path__in=paths, starts_on__lte=on).select_related("area")
    best: SchoolYear | None = None
    for row in rows:
        if best is None or (row.year, len(row.area.path)) > (best.year, len(best.area.path)):
            best = row
    return best


# --- schools and classes -------------------------------------------------------------------------
def do_create_school(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> School:
    with transaction.atomic():
        return services.do_create(School, data=data, acting_user=acting_user, comment=comment)


def do_update_school(school: School, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> School:
    """Edit a school; a new stage must still hold the grades of its classes of the current years."""
    stage = data.get("stage", school.stage)
    if stage != school.stage:
        first, last = STAGE_GRADES[SchoolStage(stage)]
        outside = school.classes.exclude(grade__gte=first, grade__lte=last).filter(enrollments__ended_on__isnull=True)
        if outside.exists():
            raise ValidationError(
                {"stage": _("Classes with students in grades outside the new stage remain; close them first.")},
                code="stage_grades",
            )
    with transaction.atomic():
        return services.do_update(school, data=data, acting_user=acting_user, comment=comment)


def _check_class(values: Mapping[str, Any]) -> None:
    school = values["school"]
    head = values.get("head_teacher")
    errors: dict[str, Any] = {}
    if head is not None and (head.school_id != school.pk or head.left_on is not None):
        errors["head_teacher"] = _("The head teacher must be a current teacher of the school.")
    year = values.get("year")
    if year and school_year_for(school.area, int(year)) is None:
        errors["year"] = _("No school year %(year)s is set for this school's area.") % {"year": year}
    if errors:
        raise ValidationError(errors, code="class")


def do_create_class(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> SchoolClass:
    """Open a class (the grade must be one of the school's, the year one its county has set)."""
    _check_class(data)
    with transaction.atomic():
        return services.do_create(SchoolClass, data=data, acting_user=acting_user, comment=comment)


def do_update_class(
    school_class: SchoolClass, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> SchoolClass:
    """Edit a class; a class with students stays with its school and grade (move the students instead)."""
    values = {f: data.get(f, getattr(school_class, f)) for f in ("school", "year", "grade", "number", "head_teacher")}
    moved = values["school"] != school_class.school or values["grade"] != school_class.grade
    if moved and school_class.enrollments.filter(ended_on__isnull=True).exists():
        raise ValidationError(
            {"grade": _("A class with students keeps its school and grade; move the students instead.")},
            code="class_has_students",
        )
    _check_class(values)
    with transaction.atomic():
        return services.do_update(school_class, data=data, acting_user=acting_user, comment=comment)


def do_promote_class(
    school_class: SchoolClass, *, on: dt.date, acting_user: Any, comment: str = ""
) -> SchoolClass | None:
    """Move a class on to the next school year (升级): the class of the next grade and year with the same
    number (created when missing, same head teacher) receives its students; a class of the school's
    last grade graduates (毕业) instead. Returns the receiving class (``None`` on graduation)."""
    school = school_class.school
    to_year = school_class.year + 1
    with transaction.atomic():
        current = list(
            school_class.enrollments.filter(ended_on__isnull=True)
            .select_related("student")
            .select_for_update(no_key=True)
        )
        if school_class.grade >= school.last_grade:
            for enrollment in current:
                do_end_enrollment(
                    enrollment, on=on, end_reason=EnrollmentEnd.GRADUATED, acting_user=acting_user, comment=comment
                )
            return None
        target = SchoolClass.objects.filter(
            school=school, year=to_year, grade=school_class.grade + 1, number=school_class.number
        ).first()
        if target is None:
            head = school_class.head_teacher
            target = do_create_class(
                data={
                    "school": school,
                    "year": to_year,
                    "grade": school_class.grade + 1,
                    "number": school_class.number,
                    "head_teacher": head if head is not None and head.left_on is None else None,
                },
                acting_user=acting_user,
                comment=comment,
            )
        for enrollment in current:
            do_end_enrollment(
                enrollment, on=on, end_reason=EnrollmentEnd.PROMOTED, acting_user=acting_user, comment=comment
            )
            do_enroll(
                enrollment.student,
                target,
                on=on,
                acting_user=acting_user,
                reason=EnrollmentReason.PROMOTION,
                comment=comment,
            )
    return target


# --- students ------------------------------------------------------------------------------------
def lifelong_number(person: Any) -> str:
    """The student number of the demo and of registrations without one: ``"G"`` + the resident ID."""
    return f"G{person.id_number}"


def do_create_student(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Student:
    """A student record for an existing person (no registration yet): the number defaults to the
    lifelong one, the area to the person's."""
    data = dict(data)
    person = data.get("person")
    if person is None:
        raise ValidationError({"person": _("A student is an existing person of the directory.")}, code="person")
    if Student.objects.filter(person=person).exists():
        raise ValidationError({"person": _("This person already has a student number.")}, code="person_student")
    if not data.get("student_number"):
        data["student_number"] = lifelong_number(person)
    if not data.get("area"):
        data["area"] = person.area
    with transaction.atomic():
        return services.do_create(Student, data=data, acting_user=acting_user, comment=comment)


def do_register_student(
    person: Any,
    school_class: SchoolClass,
    *,
    on: dt.date,
    acting_user: Any,
    student_number: str = "",
    reason: str = EnrollmentReason.ADMISSION,
    comment: str = "",
) -> Student:
    """Register a person as a student (学籍注册): the Student with its lifelong number (一人一号、
    终身不变; a person who already has one keeps it) and an open enrollment in ``school_class``."""
    with transaction.atomic():
        student = Student.objects.filter(person=person).first()
        if student is None:
            student = do_create_student(
                data={"person": person, "student_number": student_number, "area": school_class.school.area},
                acting_user=acting_user,
                comment=comment,
            )
        elif student_number and student.student_number != student_number:
            raise ValidationError(
                {
                    "student_number": _("The person already has the student number %(number)s; it never changes.")
                    % {"number": student.student_number}
                },
                code="lifelong_number",
            )
        if student.enrollments.filter(ended_on__isnull=True).exists():
            raise ValidationError(
                {"person": _("The student is still registered at a school; transfer them instead.")},
                code="already_registered",
            )
        do_enroll(student, school_class, on=on, acting_user=acting_user, reason=reason, comment=comment)
        student.refresh_from_db()
    return student


def do_record_attendance(
    student: Student,
    *,
    attending_school: School | None,
    on: dt.date,
    acting_user: Any,
    comment: str = "",
) -> Student:
    """Record where the student was found attending on ``on`` (``None``: at no school — 空挂学籍 if
    still registered)."""
    status = AttendanceStatus.ATTENDING if attending_school is not None else AttendanceStatus.ABSENT
    data = {"attending_school": attending_school, "attendance_status": status, "attendance_checked_on": on}
    with transaction.atomic():
        return services.do_update(student, data=data, acting_user=acting_user, comment=comment)


# --- education groups ----------------------------------------------------------------------------
MEMBERS_MIN = "education.group_member_schools_min"
MEMBERS_MAX = "education.group_member_schools_max"


def member_limits(group: EducationGroup, on: dt.date) -> tuple[PolicyValue | None, PolicyValue | None]:
    """The member-school limits in force for the group's area (``None`` where the county sets none)."""
    found: list[PolicyValue | None] = []
    for key in (MEMBERS_MIN, MEMBERS_MAX):
        try:
            found.append(get_policy(key, area_path=group.area.path, on=on))
        except PolicyMissing:
            found.append(None)
    return found[0], found[1]


def member_count(group: EducationGroup, on: dt.date) -> int:
    """Member schools (the lead school not counted: "1 + 4 to 6")."""
    return int(group.current_members(on).filter(role=MemberRole.MEMBER).count())


def group_check(group: EducationGroup, on: dt.date) -> list[Reason]:
    """What is wrong with the group's membership now (below the minimum or above the maximum)."""
    low, high = member_limits(group, on)
    count = member_count(group, on)
    reasons = []
    if low is not None and count < low.value:
        reasons.append(
            policy_reason(
                low,
                _("%(group)s has %(count)d member schools besides its lead school; at least %(value)s are required"),
                group=group.name,
                count=count,
            )
        )
    if high is not None and count > high.value:
        reasons.append(
            policy_reason(
                high,
                _("%(group)s has %(count)d member schools besides its lead school; at most %(value)s are allowed"),
                group=group.name,
                count=count,
            )
        )
    return reasons


def do_add_group_member(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> GroupMembership:
    """Add a school to a group. Refused (``GuardFailed``, nothing written) when the group already has
    the maximum number of member schools its county allows (E01: 1 + 4 to 6), or when the school is
    already a current member."""
    group = data["group"]
    school = data["school"]
    on = data.get("joined_on") or timezone.localdate()
    role = data.get("role") or MemberRole.MEMBER
    with transaction.atomic():
        EducationGroup.objects.select_for_update(no_key=True).filter(pk=group.pk).first()  # one adder at a time
        if group.current_members(on).filter(school=school).exists():
            raise ValidationError({"school": _("The school is already a member of this group.")}, code="member")
        if role == MemberRole.MEMBER:
            _low, high = member_limits(group, on)
            count = member_count(group, on)
            if high is not None and count + 1 > high.value:
                raise GuardFailed(
                    [
                        policy_reason(
                            high,
                            _(
                                "%(group)s already has %(count)d member schools besides its lead school; "
                                "at most %(value)s are allowed"
                            ),
                            group=group.name,
                            count=count,
                        )
                    ],
                    transition="add_member",
                )
        return services.do_create(
            GroupMembership, data={**data, "role": role, "joined_on": on}, acting_user=acting_user, comment=comment
        )
