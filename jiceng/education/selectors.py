"""Reads of the education registry: class sizes against the cap (E07), registration integrity (E08)
and school figures. Every function takes the user and reads through ``restrict``."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from jiceng.education import sizes
from jiceng.education.models import AttendanceStatus, Enrollment, School, SchoolClass, Student, grade_label


def open_enrollments() -> Prefetch:
    """Prefetch each student's open enrollment (with school and class) as ``open_enrollments``."""
    return Prefetch(
        "enrollments",
        queryset=Enrollment.objects.filter(ended_on__isnull=True).select_related("school", "school_class"),
        to_attr="open_enrollments",
    )


def school_year_of(on: dt.date) -> int:
    """The school year ``on`` falls in by the usual calendar (from 1 September): the default of the
    class-size pages when no county calendar says otherwise."""
    return on.year if on.month >= 9 else on.year - 1


# --- class sizes ---------------------------------------------------------------------------------
@dataclass
class GradeRow:
    school: School
    grade: int
    classes: list[Any] = field(default_factory=list)  # annotated with size, cap, band, over
    cap: int | None = None

    @property
    def label(self) -> str:
        return grade_label(self.grade)

    @property
    def size(self) -> int:
        return max((c.size for c in self.classes), default=0)

    @property
    def students(self) -> int:
        return sum(c.size for c in self.classes)

    @property
    def over(self) -> int:
        return sum(1 for c in self.classes if c.over)

    @property
    def at_cap(self) -> int:
        return sum(1 for c in self.classes if c.size == self.cap)

    @property
    def oversized_since(self) -> dt.date | None:
        dates = [c.oversized_since for c in self.classes if c.oversized_since]
        return min(dates) if dates else None

    @property
    def cleared_on(self) -> dt.date | None:
        dates = [c.cleared_on for c in self.classes if c.cleared_on]
        return max(dates) if dates else None

    @property
    def band(self) -> str:
        order = {"": 0, "large": 1, "super_large": 2}
        return max((c.band for c in self.classes), key=lambda b: order[b], default="")


def sized_classes(user: Any, *, on: dt.date, filters: dict[str, Any] | None = None) -> QuerySet[Any]:
    """The classes the user may view, with ``size`` (open enrollments) annotated."""
    qs = SchoolClass.objects.restrict(user, "view").filter(**(filters or {}))
    return sizes.with_sizes(qs).select_related("school__area", "head_teacher__person")


def annotate_caps(classes: list[Any], caps: sizes.CapResolver) -> list[Any]:
    for row in classes:
        row.cap = caps.cap(row.school)
        row.over = caps.is_over(row.school, row.size)
        row.band = caps.band(row.school, row.size)
    return classes


def class_size_board(user: Any, *, on: dt.date, filters: dict[str, Any] | None = None) -> dict[str, Any]:
    """Rows by school and grade (size = the largest class, cap, band, over-cap since, cleared on) and
    the totals of the oversized-class dashboard."""
    caps = sizes.CapResolver(on)
    classes = annotate_caps(
        list(sized_classes(user, on=on, filters=filters).order_by("school__name", "grade", "number")), caps
    )
    rows: dict[tuple[int, int], GradeRow] = {}
    for row in classes:
        key = (row.school_id, row.grade)
        if key not in rows:
            rows[key] = GradeRow(school=row.school, grade=row.grade, cap=row.cap)
        rows[key].classes.append(row)
    grades = list(rows.values())
    totals = {
        "schools": len({r.school.pk for r in grades}),
        "classes": len(classes),
        "students": sum(c.size for c in classes),
        "over": sum(1 for c in classes if c.over),
        "at_cap": sum(1 for c in classes if c.size == c.cap),
        "large": sum(1 for c in classes if c.band == "large"),
        "super_large": sum(1 for c in classes if c.band == "super_large"),
        "grades_over": sum(1 for g in grades if g.over),
        "cleared": sum(1 for c in classes if c.cleared_on),
        "largest": max((c.size for c in classes), default=0),
    }
    return {"rows": grades, "totals": totals}


def oversized_counts(user: Any, *, area_path: str, on: dt.date, year: int) -> dict[str, int]:
    """Classes, classes over the cap and at it in an area subtree for one school year (the widget)."""
    caps = sizes.CapResolver(on)
    rows = (
        sizes.with_sizes(SchoolClass.objects.restrict(user, "view").filter(area__path__startswith=area_path, year=year))
        .select_related("school__area")
        .only("id", "school__area__path", "school__id")
    )
    counts = {"classes": 0, "over": 0, "at_cap": 0, "students": 0}
    for row in rows:
        cap = caps.cap(row.school)
        counts["classes"] += 1
        counts["students"] += row.size
        counts["over"] += caps.is_over(row.school, row.size)
        counts["at_cap"] += cap is not None and row.size == cap
    return counts


# --- registration integrity (E08) ---------------------------------------------------------------
@dataclass
class Finding:
    kind: str  # "elsewhere", "absent", "duplicate", "overlap"
    student: Student
    school: School | None
    message: str
    other: Any = None


def integrity_findings(user: Any, *, area_path: str = "") -> list[Finding]:
    """The registration work items (E08: 「严禁出现人籍分离、空挂学籍、学籍造假」) among the students
    the user may view:

    - ``elsewhere`` (人籍分离): registered at one school, last found attending another;
    - ``absent`` (空挂学籍): registered, but found at no school;
    - ``duplicate``: two student records whose persons share name and birth date (the same child
      under two IDs);
    - ``overlap``: enrollments of one student whose periods overlap.
    """
    students = Student.objects.restrict(user, "view")
    if area_path:
        students = students.filter(area__path__startswith=area_path)
    found: list[Finding] = []
    open_q = Q(enrollments__ended_on__isnull=True)
    elsewhere = (
        students.filter(open_q, attending_school__isnull=False)
        .exclude(attending_school=F("enrollments__school"))
        .select_related("person", "attending_school")
        .prefetch_related(open_enrollments())
        .distinct()
    )
    for student in elsewhere:
        current = student.open_enrollments[0] if student.open_enrollments else None
        if current is None or current.school_id == student.attending_school_id:
            continue
        found.append(
            Finding(
                "elsewhere",
                student,
                current.school,
                _("Registered at %(school)s (%(class)s) but attending %(attending)s (checked %(on)s).")
                % {
                    "school": current.school,
                    "class": current.school_class.name,
                    "attending": student.attending_school,
                    "on": student.attendance_checked_on or "—",
                },
                other=student.attending_school,
            )
        )
    absent = (
        students.filter(open_q, attendance_status=AttendanceStatus.ABSENT)
        .select_related("person")
        .prefetch_related(open_enrollments())
        .distinct()
    )
    for student in absent:
        current = student.open_enrollments[0] if student.open_enrollments else None
        if current is None:
            continue
        found.append(
            Finding(
                "absent",
                student,
                current.school,
                _("Registered at %(school)s (%(class)s) but found at no school (checked %(on)s).")
                % {
                    "school": current.school,
                    "class": current.school_class.name,
                    "on": student.attendance_checked_on or "—",
                },
            )
        )
    twins = (
        students.values("person__name", "person__birth_date")
        .annotate(n=Count("id"))
        .filter(n__gt=1, person__birth_date__isnull=False)
        .order_by()
    )
    keys = [(t["person__name"], t["person__birth_date"]) for t in twins]
    if keys:
        q = Q()
        for name, birth in keys:
            q |= Q(person__name=name, person__birth_date=birth)
        same: dict[tuple[str, Any], list[Student]] = defaultdict(list)
        for student in students.filter(q).select_related("person").prefetch_related(open_enrollments()).order_by("id"):
            same[(student.person.name, student.person.birth_date)].append(student)
        for group in same.values():
            for student in group:
                others = [s for s in group if s.pk != student.pk]
                current = student.open_enrollments[0] if student.open_enrollments else None
                found.append(
                    Finding(
                        "duplicate",
                        student,
                        current.school if current else None,
                        _("%(name)s, born %(birth)s, has %(count)d student records: %(numbers)s.")
                        % {
                            "name": student.person.name,
                            "birth": student.person.birth_date,
                            "count": len(group),
                            "numbers": "、".join(s.student_number for s in group),
                        },
                        other=others[0] if others else None,
                    )
                )
    for first, second in _overlaps(Enrollment.objects.filter(student__in=students)):
        found.append(
            Finding(
                "overlap",
                first.student,
                first.school,
                _("Enrollments at %(first)s (from %(start)s) and %(second)s (from %(start2)s) overlap.")
                % {
                    "first": first.school,
                    "start": first.started_on,
                    "second": second.school,
                    "start2": second.started_on,
                },
                other=second,
            )
        )
    return found


def _overlaps(enrollments: QuerySet[Enrollment]) -> list[tuple[Enrollment, Enrollment]]:
    """Pairs of one student's enrollments whose periods overlap (only students with several)."""
    several = enrollments.values("student").annotate(n=Count("id")).filter(n__gt=1).values("student")
    rows = list(
        enrollments.filter(student__in=several)
        .select_related("student__person", "school")
        .order_by("student_id", "started_on", "id")
    )
    by_student: dict[int, list[Enrollment]] = defaultdict(list)
    for row in rows:
        by_student[row.student_id].append(row)
    pairs = []
    for items in by_student.values():
        for i, first in enumerate(items):
            for second in items[i + 1 :]:
                first_end = first.ended_on or dt.date.max
                if second.started_on < first_end:
                    pairs.append((first, second))
    return pairs


def findings_by_school(findings: list[Finding]) -> list[tuple[School, Counter[str]]]:
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    schools: dict[int, School] = {}
    for finding in findings:
        if finding.school is None:
            continue
        schools[finding.school.pk] = finding.school
        counts[finding.school.pk][finding.kind] += 1
    return sorted(
        ((schools[pk], c) for pk, c in counts.items()), key=lambda item: (-sum(item[1].values()), item[0].name)
    )
