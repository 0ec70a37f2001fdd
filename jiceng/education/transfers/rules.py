"""The transfer rules (seed 003, rules.md §8 《中小学生学籍管理办法》 转学) as policies and guards.

Every number is a policy read for the receiving school's area on the transfer date (``on``):

- cap: the class may not be at or over the class-size cap (``education.class_size_cap``: the
  transfer would put it over), and no class of its grade in that school may be over it —
  「凡是存在大班额的年级、班级，无论任何时候，都不允许招收插班生」 — whatever the date;
- window: the transfer date, and the application date, lie within
  ``education.transfer.window_months`` after the county's school year starts (``SchoolYear`` of the
  class's year, applying downwards) — 「每学年开学后一月内由转入学校申请」;
- graduating year: no transfer into the last grade of the school's stage while
  ``education.transfer.no_graduating_year`` is true (a local rule, off by default);
- registration: the student is not already registered at the receiving school; the grade does not
  change (``education.transfer.same_grade``); the registration matches attendance
  (``education.transfer.registration_matches_attendance``: no 人籍分离, no 空挂学籍); one pending
  application per student;
- approval: ``education.transfer.approver_level`` names the lowest area level (county…) at which
  the approver holds ``approve_transfer`` over the receiving school's area.

Each check answers a list of ``Reason`` with the rule, the numbers and the source (empty: passes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from jiceng.core.dates import add_months
from jiceng.core.deadlines.calendar import add_workdays
from jiceng.core.policies.services import PolicyMissing, PolicyValue, get_policy
from jiceng.core.scope import ancestor_paths, user_scope_paths
from jiceng.core.workflow import Guard, GuardList, Reason, policy_reason
from jiceng.directory.models import LEVEL_ORDER, AreaLevel
from jiceng.education import sizes
from jiceng.education.models import AttendanceStatus, SchoolYear, grade_label

CAP = sizes.CAP
WINDOW_MONTHS = "education.transfer.window_months"  # core seed (莘县) + this app's seed (东昌府区)
NO_GRADUATING_YEAR = "education.transfer.no_graduating_year"
SAME_GRADE = "education.transfer.same_grade"
MATCHES_ATTENDANCE = "education.transfer.registration_matches_attendance"
APPROVER_LEVEL = "education.transfer.approver_level"
HANDOVER_WORKDAYS = "education.transfer.handover_workdays"
APPROVE_PERMISSION = "education_transfers.approve_transfer"


# --- where and when a transfer's rules are read ---------------------------------------------------
def school_of(transfer: Any) -> Any:
    return transfer.to_class.school


def area_path(transfer: Any) -> str:
    return str(school_of(transfer).area.path)


def policy(key: str, transfer: Any, on: dt.date | None = None) -> PolicyValue:
    """``key`` in force for the receiving school's area on the transfer date (or ``on``)."""
    return get_policy(key, area_path=area_path(transfer), on=on or transfer.on)


def missing(exc: PolicyMissing) -> Reason:
    return Reason(message=exc.message)


# --- the window --------------------------------------------------------------------------------
def school_year_for(school: Any, year: int) -> Any:
    """The school calendar of ``year`` for ``school``: the most specific row among its area and the
    area's ancestors (a county's calendar applies to its townships), or ``None``."""
    rows = list(
        SchoolYear.objects.filter(year=year, area__path__in=ancestor_paths(school.area.path)).select_related("area")
    )
    return max(rows, key=lambda row: len(row.area.path)) if rows else None


@dataclass(frozen=True)
class Window:
    """The transfer window of one school year: ``opens_on`` (the school year's start) to ``closes_on``
    (its last day inside: the day before ``window_months`` after the start)."""

    school_year: Any
    opens_on: dt.date
    closes_on: dt.date
    rule: PolicyValue

    def contains(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on


def window_of(school: Any, year: int, on: dt.date) -> Window | None:
    """The window of ``school``'s school year ``year`` under the policy in force on ``on``
    (``None`` when no school calendar of that year is recorded for the school's area)."""
    school_year = school_year_for(school, year)
    if school_year is None:
        return None
    rule = get_policy(WINDOW_MONTHS, area_path=school.area.path, on=on)
    end = add_months(school_year.starts_on, int(rule.value))
    return Window(school_year, school_year.starts_on, end - dt.timedelta(days=1), rule)


def window_reasons(transfer: Any, *, applied_on: dt.date | None = None) -> list[Reason]:
    """The transfer date (and ``applied_on``, the application date, when given) within the window."""
    school = school_of(transfer)
    year = transfer.to_class.year
    try:
        window = window_of(school, year, transfer.on)
    except PolicyMissing as exc:
        return [missing(exc)]
    if window is None:
        try:
            rule = policy(WINDOW_MONTHS, transfer)
        except PolicyMissing as exc:
            return [missing(exc)]
        return [
            policy_reason(
                rule,
                _(
                    "No school calendar of school year %(year)s is recorded for %(area)s, so the transfer window "
                    "(%(value)s %(unit)s after the school year starts) cannot be fixed"
                ),
                year=year,
                area=school.area.name,
            )
        ]
    found = []
    numbers = {
        "opens": window.opens_on.isoformat(),
        "closes": window.closes_on.isoformat(),
        "year": window.school_year,
        "start": window.opens_on.isoformat(),
    }
    if not window.contains(transfer.on):
        found.append(
            policy_reason(
                window.rule,
                _(
                    "The transfer date %(date)s is outside the transfer window %(opens)s – %(closes)s: a receiving "
                    "school applies within %(value)s %(unit)s after %(year)s starts on %(start)s"
                ),
                date=transfer.on.isoformat(),
                **numbers,
            )
        )
    if applied_on is not None and not window.contains(applied_on):
        found.append(
            policy_reason(
                window.rule,
                _(
                    "The application date %(date)s is outside the transfer window %(opens)s – %(closes)s: a "
                    "receiving school applies within %(value)s %(unit)s after %(year)s starts on "
                    "%(start)s"
                ),
                date=applied_on.isoformat(),
                **numbers,
            )
        )
    return found


# --- the class-size cap ------------------------------------------------------------------------
def cap_reasons(transfer: Any) -> list[Reason]:
    """The class may not be at or over the cap; no class of its grade may be over it."""
    target = transfer.to_class
    school = school_of(transfer)
    try:
        rule = sizes.cap_policy(school, transfer.on)
    except PolicyMissing as exc:
        return [missing(exc)]
    found = []
    size = sizes.class_size(target)
    if size + 1 > rule.value:
        found.append(
            policy_reason(
                rule,
                _(
                    "%(klass)s has %(size)s students; a transfer would make %(after)s, over the class-size cap of "
                    "%(value)s %(unit)s: a class at the cap admits no transfer student"
                ),
                klass=target,
                size=size,
                after=size + 1,
            )
        )
    over = [(row, n) for row, n in sizes.grade_sizes(school, target.year, target.grade) if n > rule.value]
    others = [(row, n) for row, n in over if row.pk != target.pk]
    if others:
        found.append(
            policy_reason(
                rule,
                _(
                    "%(grade)s of %(school)s has classes over the class-size cap of %(value)s %(unit)s (%(classes)s): "
                    "no class of a grade with large classes admits a transfer student, whatever the date"
                ),
                grade=grade_label(target.grade),
                school=school,
                classes="、".join(_("%(name)s: %(size)s") % {"name": row.name, "size": n} for row, n in others),
            )
        )
    return found


def cap_status(school_class: Any, on: dt.date) -> dict[str, Any]:
    """The class's size against the cap and its grade's classes over it (for the pages)."""
    rule = sizes.cap_policy(school_class.school, on)
    size = sizes.class_size(school_class)
    grade = sizes.grade_sizes(school_class.school, school_class.year, school_class.grade)
    return {
        "rule": rule,
        "cap": rule.value,
        "size": size,
        "room": max(int(rule.value) - size, 0),
        "grade_over": [(row, n) for row, n in grade if n > rule.value],
    }


# --- the graduating year -----------------------------------------------------------------------
def graduating_reasons(transfer: Any) -> list[Reason]:
    try:
        rule = policy(NO_GRADUATING_YEAR, transfer)
    except PolicyMissing as exc:
        return [missing(exc)]
    school = school_of(transfer)
    if not rule.value or transfer.to_class.grade != school.last_grade:
        return []
    return [
        policy_reason(
            rule,
            _("%(klass)s is in the graduating year (%(grade)s) of %(school)s: no transfer into a graduating year"),
            klass=transfer.to_class,
            grade=grade_label(transfer.to_class.grade),
            school=school,
        )
    ]


# --- the student's registration ----------------------------------------------------------------
def current_enrollment(student: Any) -> Any:
    return student.enrollments.filter(ended_on__isnull=True).select_related("school", "school_class").first()


def expected_grade(enrollment: Any, year: int) -> int:
    """The grade the student of ``enrollment`` is in during school year ``year`` (promoted yearly)."""
    school_class = enrollment.school_class
    return int(school_class.grade + (year - school_class.year))


def registration_reasons(transfer: Any) -> list[Reason]:
    """Not already at the receiving school; the registration unchanged since the application; the
    grade kept; the registration matching attendance."""
    student = transfer.student
    target = transfer.to_class
    current = current_enrollment(student)
    found: list[Reason] = []
    if transfer.pk and (current.pk if current is not None else None) != transfer.from_enrollment_id:
        found.append(
            Reason(
                message=_(
                    "%(student)s's registration has changed since the application (now %(klass)s): withdraw it and apply "
                    "again"
                )
                % {"student": student, "klass": current.school_class if current is not None else "—"}
            )
        )
        return found
    if current is None:
        return found  # a new registration (no open enrollment): nothing to compare
    if current.school_id == target.school_id:
        found.append(
            Reason(
                message=_("%(student)s is already registered at %(school)s (%(klass)s): a transfer is between schools")
                % {"student": student, "school": current.school, "klass": current.school_class}
            )
        )
    if transfer.on < current.started_on:
        found.append(
            Reason(
                message=_("The transfer date %(date)s is before the current registration started (%(start)s)")
                % {"date": transfer.on.isoformat(), "start": current.started_on.isoformat()}
            )
        )
    try:
        same_grade = policy(SAME_GRADE, transfer)
        matches = policy(MATCHES_ATTENDANCE, transfer)
    except PolicyMissing as exc:
        return [*found, missing(exc)]
    expected = expected_grade(current, target.year)
    if same_grade.value and expected != target.grade:
        found.append(
            policy_reason(
                same_grade,
                _(
                    "%(student)s is registered in %(from_class)s (school year %(from_year)s), which is %(expected)s in "
                    "school year %(to_year)s; %(klass)s is %(to_grade)s: a transfer does not change the grade"
                ),
                student=student,
                from_class=current.school_class,
                from_year=current.school_class.year,
                expected=grade_label(expected),
                to_year=target.year,
                klass=target,
                to_grade=grade_label(target.grade),
            )
        )
    if matches.value:
        checked = student.attendance_checked_on.isoformat() if student.attendance_checked_on else "—"
        if student.attendance_status == AttendanceStatus.ABSENT:
            found.append(
                policy_reason(
                    matches,
                    _(
                        "%(student)s is registered at %(school)s but was found attending no school (checked on "
                        "%(checked)s): an empty registration is not transferred"
                    ),
                    student=student,
                    school=current.school,
                    checked=checked,
                )
            )
        elif student.attending_school_id and student.attending_school_id != current.school_id:
            found.append(
                policy_reason(
                    matches,
                    _(
                        "%(student)s is registered at %(school)s but attends %(attending)s (checked on %(checked)s): "
                        "registration and attendance differ, and no registration is transferred for a student who "
                        "moved without approval"
                    ),
                    student=student,
                    school=current.school,
                    attending=student.attending_school,
                    checked=checked,
                )
            )
    return found


def pending_reasons(transfer: Any) -> list[Reason]:
    """One pending application per student."""
    from jiceng.education.transfers.choices import TransferState

    others = type(transfer).objects.filter(student_id=transfer.student_id, status=TransferState.APPLIED)
    if transfer.pk:
        others = others.exclude(pk=transfer.pk)
    other = others.select_related("to_class__school").first()
    if other is None:
        return []
    return [
        Reason(
            message=_(
                "%(student)s already has transfer application #%(id)s awaiting the bureau (applied on %(date)s into "
                "%(klass)s): one application at a time"
            )
            % {
                "student": transfer.student,
                "id": other.pk,
                "date": other.applied_on.isoformat(),
                "klass": other.to_class,
            }
        )
    ]


def reason_record(reason: Reason) -> dict[str, Any]:
    """A reason as stored on a rejected transfer (the API's shape: policy, message, value, source)."""
    return {
        "policy": reason.policy_key,
        "message": reason.message,
        "value": reason.as_dict()["value"],
        "source": reason.source,
    }


# --- approval by level -------------------------------------------------------------------------
def level_depth(level: str) -> int:
    """province 1, city 2, county 3, township 4, village 5 (segments of an area path)."""
    return LEVEL_ORDER.index(AreaLevel(level)) + 1


def approver_reason(transfer: Any, user: Any, *, on: dt.date) -> Reason | None:
    """The approver holds ``approve_transfer`` over the receiving school's area at the level the policy
    names (the bureau: county) or higher."""
    try:
        rule = policy(APPROVER_LEVEL, transfer, on)
    except PolicyMissing as exc:
        return missing(exc)
    required = level_depth(rule.value)
    path = area_path(transfer)
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
            "A transfer is approved by the education bureau: staff holding approval rights at %(required)s level or "
            "above; yours over %(school)s: %(held)s"
        ),
        required=AreaLevel(rule.value).label,
        school=school_of(transfer),
        held=held_label,
    )


# --- the handover deadline ---------------------------------------------------------------------
def handover_due(transfer: Any, decided_on: dt.date) -> tuple[dt.date | None, PolicyValue | None]:
    """学籍转接: the workday ``handover_workdays`` after the approval (``None`` without the policy)."""
    try:
        rule = policy(HANDOVER_WORKDAYS, transfer, decided_on)
    except PolicyMissing:
        return None, None
    return add_workdays(decided_on, int(rule.value)), rule


# --- guards of the workflow --------------------------------------------------------------------
class RuleGuard(Guard):
    """One rule function ``f(transfer) -> list[Reason]`` as a guard reporting every reason."""

    def __init__(self, name: str, func: Any) -> None:
        self.name = name
        self.func = func

    def check(self, obj: Any, *, on: dt.date) -> Reason | None:
        found = self.reasons(obj, on=on)
        return found[0] if found else None

    def reasons(self, obj: Any, *, on: dt.date | None = None) -> list[Reason]:
        return list(self.func(obj))


class ApplicationWindow(RuleGuard):
    """The window, for the application: the transfer date and the application date."""

    def reasons(self, obj: Any, *, on: dt.date | None = None) -> list[Reason]:
        return window_reasons(obj, applied_on=obj.applied_on)


CAP_GUARD = RuleGuard("education.transfer.cap", cap_reasons)
GRADUATING_GUARD = RuleGuard("education.transfer.graduating_year", graduating_reasons)
REGISTRATION_GUARD = RuleGuard("education.transfer.registration", registration_reasons)
PENDING_GUARD = RuleGuard("education.transfer.one_pending", pending_reasons)

APPLY = GuardList(
    "education.transfer.apply",
    [
        CAP_GUARD,
        ApplicationWindow("education.transfer.window", window_reasons),
        GRADUATING_GUARD,
        REGISTRATION_GUARD,
        PENDING_GUARD,
    ],
)
APPROVE = GuardList(
    "education.transfer.approve",
    [
        CAP_GUARD,
        RuleGuard("education.transfer.window", window_reasons),
        GRADUATING_GUARD,
        REGISTRATION_GUARD,
        PENDING_GUARD,
    ],
)
