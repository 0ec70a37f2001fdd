"""Teachers' exchange and rotation, mentoring and recruitment (catalogue E02–E04, E12).

- ``RotationPlan``: a county's (or an education group's) exchange plan for one school year, draft →
  approved. Approval by the bureau re-checks the quota (``education.teacher_exchange_min_pct``), both
  directions and every school's subject coverage (``rules``).
- ``RotationAssignment``: one teacher sent from their school to a host school for a period, as a
  teacher or a middle manager; the teacher stays on the home school's payroll (``Teacher.school`` is
  never changed by an exchange). The assignments of approved plans are the rotation history.
- ``RecruitmentRound`` and ``RecruitmentPost``: a year's teacher recruitment (教师招考) with its posts by
  school and subject and the hires by type (established post / contract).
- ``MentorPair``: 青蓝结对 — a senior teacher mentoring a young or new one for a period.

See docs/modules/education-staff.md.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from jiceng.core.models import ScopedModel
from jiceng.core.scope import DownwardQuerySet
from jiceng.education.choices import Employment, Subject
from jiceng.education.models import SchoolAreaMixin, area_field
from jiceng.education.staff import rules
from jiceng.education.staff.choices import AssignmentRole, Direction, PlanStatus


class RotationPlan(ConcurrentTransitionMixin, ScopedModel):
    """An exchange plan (交流轮岗计划) of a county (``group`` empty) or of one education group for one
    school year. Applies downwards: a township's schools see their county's plan."""

    name = models.CharField(_("name"), max_length=120)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="rotation_plans"
    )
    group = models.ForeignKey(
        "education.EducationGroup",
        verbose_name=_("education group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rotation_plans",
        help_text=_("Empty: the county's urban–rural exchange plan."),
    )
    year = models.PositiveSmallIntegerField(_("school year"), help_text=_("The calendar year it starts in."))
    starts_on = models.DateField(_("exchange starts on"))
    ends_on = models.DateField(_("exchange ends on"))
    status = FSMField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    seed = models.PositiveIntegerField(_("generator seed"), null=True, blank=True, editable=False)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = DownwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")
        ordering = ["-year", "area__path", "name"]
        permissions = [("approve_rotationplan", _("Can approve rotation plans"))]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year"], condition=Q(group__isnull=True), name="staff_plan_one_county_plan"
            ),
            models.UniqueConstraint(
                fields=["group", "year"], condition=Q(group__isnull=False), name="staff_plan_one_group_plan"
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="staff_plan_period"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    def clean(self) -> None:
        if self.group_id and self.area_id and self.group.area_id != self.area_id:
            raise ValidationError({"area": _("A group's plan belongs to the group's area.")}, code="group_area")

    @transition(
        field=status,
        source=PlanStatus.DRAFT,
        target=PlanStatus.APPROVED,
        conditions=[rules.APPROVE],
        permission="approve_rotationplan",
    )
    def approve(self) -> None:
        self.approved_at = timezone.now()


class RotationAssignment(SchoolAreaMixin, ScopedModel):
    """One teacher of a plan sent from their school to a host school for a period (交流/轮岗).

    Scoped by the home school (``from_school``): a township's staff see the teachers it sends."""

    area_from = "from_school"

    plan = models.ForeignKey(
        RotationPlan, verbose_name=_("rotation plan"), on_delete=models.CASCADE, related_name="assignments"
    )
    teacher = models.ForeignKey(
        "education.Teacher", verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="rotation_assignments"
    )
    from_school = models.ForeignKey(
        "education.School",
        verbose_name=_("home school"),
        on_delete=models.PROTECT,
        related_name="rotation_assignments_out",
        editable=False,
    )
    to_school = models.ForeignKey(
        "education.School",
        verbose_name=_("host school"),
        on_delete=models.PROTECT,
        related_name="rotation_assignments_in",
    )
    to_campus = models.ForeignKey(
        "education.Campus",
        verbose_name=_("host campus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rotation_assignments_in",
        help_text=_("A campus of the host school (一校多区: also a campus of the teacher's own school)."),
    )
    area = area_field("rotation_assignments")
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices, editable=False)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    role = models.CharField(_("role"), max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.TEACHER)
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices, editable=False)
    adjusted_by_bureau = models.BooleanField(_("adjusted by the bureau"), default=False, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("from_school", "subject", "direction")

    class Meta:
        verbose_name = _("rotation assignment")
        verbose_name_plural = _("rotation assignments")
        ordering = ["plan", "from_school__name", "teacher__person__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "teacher"], name="staff_assignment_once_per_plan"),
            models.CheckConstraint(
                condition=~Q(from_school=models.F("to_school")) | Q(to_campus__isnull=False),
                name="staff_assignment_other_school",
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="staff_assignment_period"),
        ]
        indexes = [models.Index(fields=["teacher", "starts_on"], name="staff_assignment_history")]

    def __str__(self) -> str:
        host = self.to_campus if self.to_campus_id else self.to_school
        return f"{self.teacher} · {self.from_school} → {host}"

    @property
    def is_campus_move(self) -> bool:
        """To another campus of the teacher's own school (一校多区)."""
        return self.from_school_id == self.to_school_id

    @property
    def years(self) -> float:
        return (self.ends_on - self.starts_on).days / 365.25


class RecruitmentRound(ScopedModel):
    """One teacher recruitment round (教师招考) of a county or district; applies downwards."""

    name = models.CharField(_("name"), max_length=120)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="recruitment_rounds"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    announced_on = models.DateField(_("announced on"))
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = DownwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("recruitment round")
        verbose_name_plural = _("recruitment rounds")
        ordering = ["-year", "-announced_on", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="staff_round_unique_name")]

    def __str__(self) -> str:
        return self.name


class RecruitmentPost(SchoolAreaMixin, ScopedModel):
    """The posts of one round at one school for one subject and type, and how many were hired."""

    recruitment_round = models.ForeignKey(
        RecruitmentRound, verbose_name=_("recruitment round"), on_delete=models.CASCADE, related_name="posts"
    )
    school = models.ForeignKey(
        "education.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="recruitment_posts"
    )
    area = area_field("recruitment_posts")
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    employment = models.CharField(_("employment"), max_length=12, choices=Employment.choices)
    posts = models.PositiveIntegerField(_("posts"), validators=[MinValueValidator(1)])
    hired = models.PositiveIntegerField(_("hired"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("recruitment post")
        verbose_name_plural = _("recruitment posts")
        ordering = ["recruitment_round", "school__name", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["recruitment_round", "school", "subject", "employment"], name="staff_post_unique"
            ),
            models.CheckConstraint(condition=Q(hired__lte=models.F("posts")), name="staff_post_hired_within"),
        ]

    def __str__(self) -> str:
        return f"{self.recruitment_round} · {self.school} · {self.get_subject_display()}"

    def clean(self) -> None:
        if self.posts is not None and self.hired is not None and self.hired > self.posts:
            raise ValidationError({"hired": _("More hired than posts offered.")}, code="hired_over_posts")


class MentorPair(SchoolAreaMixin, ScopedModel):
    """青蓝结对: a senior teacher (``mentor``) and a young or new one (``mentee``) for a period, in the
    mentee's school, optionally across the schools of an education group."""

    area_from = "school"

    mentor = models.ForeignKey(
        "education.Teacher", verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="mentoring"
    )
    mentee = models.ForeignKey(
        "education.Teacher", verbose_name=_("mentee"), on_delete=models.PROTECT, related_name="mentored_by"
    )
    school = models.ForeignKey(
        "education.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="mentor_pairs",
        editable=False,
    )
    area = area_field("mentor_pairs")
    group = models.ForeignKey(
        "education.EducationGroup",
        verbose_name=_("education group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentor_pairs",
        help_text=_("When the mentor teaches at another school of the group."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("school",)

    class Meta:
        verbose_name = _("mentor pair")
        verbose_name_plural = _("mentor pairs")
        ordering = ["-starts_on", "school__name"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="staff_mentor_not_self"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="staff_mentor_period"),
            models.UniqueConstraint(fields=["mentor", "mentee", "starts_on"], name="staff_mentor_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"
