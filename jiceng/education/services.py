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
from typing import Any

from django.db import transaction

from jiceng.core import services
from jiceng.education import sizes
from jiceng.education.choices import EnrollmentEnd, EnrollmentReason
from jiceng.education.models import Enrollment, SchoolClass, Student


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
