"""Education (教育): schools, campuses, education groups, teachers, classes, students and their registration.

The shared records of every education app (docs/modules/education.md):

- ``SchoolYear``: a county's school calendar (学年, e.g. 2026 = 2026–2027, starting on ``starts_on``);
  it applies downwards, so a school in a township sees its county's calendar.
- ``School`` (with its ``Campus`` rows): stage, urban or rural location (城区/乡镇), the Area it stands in
  and optionally the ``directory.Unit`` it is.
- ``EducationGroup`` and ``GroupMembership``: a group (集团化办学) led by a lead school, with its member
  schools and kind (tight / compact / "1+X" with a head principal).
- ``Teacher``: a shared ``directory.Person`` teaching at a school (subject, full-time or not,
  established post or contract).
- ``SchoolClass``: one class of one school year (grade, number, head teacher); its size is the number
  of current enrollments in it.
- ``Student`` and ``Enrollment``: a student is a shared ``Person`` with one lifelong student number
  (学籍号, 一人一号、终身不变); an ``Enrollment`` is their registration (学籍) at a school and class from
  ``started_on`` until ``ended_on`` (at most one open enrollment per student). ``Student.attending_school``
  records where the student is actually found (人籍分离 when it differs from the registration).

Rows that belong to a school copy its area (``SchoolAreaMixin``), so scope needs no join.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import AreaFromMixin, ScopedModel
from jiceng.core.scope import DownwardQuerySet
from jiceng.education.choices import (
    STAGE_GRADES,
    Employment,
    EnrollmentEnd,
    EnrollmentReason,
    GroupKind,
    Location,
    MemberRole,
    SchoolStage,
    Subject,
)

GRADE_NAMES = {
    1: "一",
    2: "二",
    3: "三",
    4: "四",
    5: "五",
    6: "六",
    7: "七",
    8: "八",
    9: "九",
    10: "高一",
    11: "高二",
    12: "高三",
}


def grade_label(grade: int) -> str:
    """``3`` → ``三年级``, ``10`` → ``高一``."""
    name = GRADE_NAMES.get(grade, str(grade))
    return name if grade >= 10 else f"{name}年级"


class SchoolAreaMixin(AreaFromMixin):
    """For rows that belong to a school: ``area`` is copied from ``school`` on every save."""

    area_from = "school"

    class Meta:
        abstract = True


def area_field(related_name: str) -> models.ForeignKey:
    """The copied area of a school-owned row (not editable: it follows the school)."""
    return models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name=related_name, editable=False
    )


class SchoolYear(ScopedModel):
    """A county's school year (学年): ``year`` 2026 is 2026–2027, from ``starts_on`` to ``ends_on``.

    The transfer window and the school-year figures count from ``starts_on``. Applies downwards."""

    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="school_years"
    )
    year = models.PositiveSmallIntegerField(_("school year"), help_text=_("The calendar year it starts in."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = DownwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["-year", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="education_school_year_unique"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="education_school_year_order"),
        ]

    def __str__(self) -> str:
        return f"{self.year}–{self.year + 1}学年"

    def clean(self) -> None:
        if self.starts_on and self.year and self.starts_on.year != self.year:
            raise ValidationError(
                {"starts_on": _("School year %(year)s starts in %(year)s.") % {"year": self.year}}, code="year"
            )


class School(ScopedModel):
    """A school (学校) standing in an Area; ``location`` puts it on the urban or rural side (城区/乡镇)."""

    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    code = models.CharField(
        _("school code"), max_length=10, blank=True, help_text=_("学校标识码: ten digits, where known.")
    )
    area = models.ForeignKey("directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="schools")
    unit = models.OneToOneField(
        "directory.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=SchoolStage.choices)
    location = models.CharField(_("location"), max_length=8, choices=Location.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    principal = models.CharField(_("principal"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["area__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="education_school_unique_name"),
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="education_school_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def grades(self) -> range:
        first, last = STAGE_GRADES[SchoolStage(self.stage)]
        return range(first, last + 1)

    @property
    def last_grade(self) -> int:
        return STAGE_GRADES[SchoolStage(self.stage)][1]

    def clean(self) -> None:
        if self.code and not (len(self.code) == 10 and self.code.isdigit()):
            raise ValidationError({"code": _("A school code (学校标识码) has ten digits.")}, code="school_code")


class Campus(ScopedModel):
    """A campus (校区) of a school; "一校多区" schools have several. Scoped by where it stands."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="campuses")
    name = models.CharField(_("name"), max_length=120)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="campuses"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_main = models.BooleanField(_("main campus"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("campus")
        verbose_name_plural = _("campuses")
        ordering = ["school", "-is_main", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="education_campus_unique_name")]

    def __str__(self) -> str:
        return f"{self.school} · {self.name}"


class EducationGroup(ScopedModel):
    """An education group (教育集团) of the Area that formed it, led by ``lead_school``.

    Applies downwards: the staff of a member school in a township see their county's group."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=GroupKind.choices, default=GroupKind.TIGHT)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="education_groups"
    )
    lead_school = models.ForeignKey(
        School, verbose_name=_("lead school"), on_delete=models.PROTECT, related_name="led_groups"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=SchoolStage.choices)
    formed_on = models.DateField(_("formed on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    head_principal = models.ForeignKey(
        "directory.Person",
        verbose_name=_("head principal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed_education_groups",
    )
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = DownwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("education group")
        verbose_name_plural = _("education groups")
        ordering = ["area__path", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="education_group_unique_name")]

    def __str__(self) -> str:
        return self.name

    def current_members(self, on: dt.date | None = None) -> models.QuerySet[GroupMembership]:
        on = on or timezone.localdate()
        return self.memberships.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


class GroupMembership(SchoolAreaMixin, ScopedModel):
    """A school's membership of an education group from ``joined_on`` (until ``left_on``)."""

    group = models.ForeignKey(
        EducationGroup, verbose_name=_("education group"), on_delete=models.PROTECT, related_name="memberships"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="group_memberships"
    )
    area = area_field("education_group_memberships")
    role = models.CharField(_("role"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group", "role", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "school"], condition=Q(left_on__isnull=True), name="education_membership_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.school}"


class Teacher(SchoolAreaMixin, ScopedModel):
    """A teacher (a shared ``Person``) of a school. ``is_full_time`` marks 专任教师, the base of the
    exchange quota; ``employment`` is 在编 or 聘任制."""

    person = models.OneToOneField(
        "directory.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="teacher"
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="teachers")
    area = area_field("education_teachers")
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    is_full_time = models.BooleanField(_("full-time teacher"), default=True)
    employment = models.CharField(
        _("employment"), max_length=12, choices=Employment.choices, default=Employment.ESTABLISHED
    )
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    is_backbone = models.BooleanField(_("backbone teacher"), default=False)  # 骨干教师
    is_middle_manager = models.BooleanField(_("middle manager"), default=False)  # 中层干部
    left_on = models.DateField(_("left on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["school", "person__name"]
        indexes = [models.Index(fields=["school", "subject"], name="education_teacher_subject")]

    def __str__(self) -> str:
        return self.person.name


class SchoolClass(SchoolAreaMixin, ScopedModel):
    """One class (班级) of a school in a school year. Its size is the count of its open enrollments.

    ``oversized_since`` / ``cleared_on`` keep when the class last went over the cap and when it came
    back within it (the oversized-class dashboard); the enrollment services maintain them."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="classes")
    area = area_field("education_classes")
    year = models.PositiveSmallIntegerField(_("school year"))
    grade = models.PositiveSmallIntegerField(_("grade"))
    number = models.PositiveSmallIntegerField(_("class number"))
    head_teacher = models.ForeignKey(
        Teacher,
        verbose_name=_("head teacher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="head_of_classes",
    )
    oversized_since = models.DateField(_("over the cap since"), null=True, blank=True, editable=False)
    cleared_on = models.DateField(_("back within the cap on"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("oversized_since", "cleared_on")

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["school", "-year", "grade", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "grade", "number"], name="education_class_unique"),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=12), name="education_class_grade_range"),
        ]
        indexes = [models.Index(fields=["year", "grade"], name="education_class_year_grade")]

    def __str__(self) -> str:
        return f"{self.school} {self.name}"

    @property
    def name(self) -> str:
        return f"{grade_label(self.grade)}{self.number}班"

    def clean(self) -> None:
        if self.school_id and self.grade and self.grade not in self.school.grades:
            raise ValidationError(
                {"grade": _("%(school)s has no grade %(grade)s.") % {"school": self.school, "grade": self.grade}},
                code="grade",
            )


class AttendanceStatus(models.TextChoices):
    UNCHECKED = "", _("not checked")
    ATTENDING = "attending", _("attending")
    ABSENT = "absent", _("not found at any school")  # 空挂学籍 when still registered


class Student(ScopedModel):
    """A student: a shared ``Person`` with one lifelong student number (学籍号).

    ``area`` is the area of the school of the open enrollment (the person's own area when there is
    none), kept by the enrollment services. ``attending_school`` is where the student was last found
    attending (checked on ``attendance_checked_on``): a registration elsewhere is 人籍分离."""

    person = models.OneToOneField(
        "directory.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="student"
    )
    student_number = models.CharField(_("student number"), max_length=20, unique=True)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="education_students"
    )
    attending_school = models.ForeignKey(
        School,
        verbose_name=_("attending school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attending_students",
    )
    attendance_status = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices, blank=True, default=AttendanceStatus.UNCHECKED
    )
    attendance_checked_on = models.DateField(_("attendance checked on"), null=True, blank=True)
    is_registered_poor = models.BooleanField(_("registered poor student"), default=False)  # 建档立卡
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.person.name

    def clean(self) -> None:
        if self.student_number and not self.student_number.isalnum():
            raise ValidationError(
                {"student_number": _("A student number has letters and digits only.")}, code="student_number"
            )


class Enrollment(SchoolAreaMixin, ScopedModel):
    """A student's registration (学籍) at a school and class from ``started_on`` until ``ended_on``."""

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="enrollments"
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="enrollments")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="enrollments"
    )
    area = area_field("education_enrollments")
    started_on = models.DateField(_("started on"))
    reason = models.CharField(
        _("reason"), max_length=16, choices=EnrollmentReason.choices, default=EnrollmentReason.ADMISSION
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=12, choices=EnrollmentEnd.choices, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["student", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"], condition=Q(ended_on__isnull=True), name="education_one_open_enrollment"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="education_enrollment_order",
            ),
        ]
        indexes = [
            models.Index(fields=["school_class"], condition=Q(ended_on__isnull=True), name="education_open_by_class")
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.school_class}"

    def clean(self) -> None:
        if self.school_class_id and self.school_id and self.school_class.school_id != self.school_id:
            raise ValidationError({"school_class": _("The class belongs to another school.")}, code="class_school")
