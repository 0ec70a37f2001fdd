"""Group work (集团化办学): unified plans, teaching diagnosis, research days, shared resources, the group
special fund, and the school-building programme (catalogue E01, E04, E05, E06, E11).

- ``GroupPlan``: a group's yearly unified plan (“教、学、研、评”一体化) run on the checklists engine:
  its template (seeded, ``seed/checklists.json``) is assigned to every current member school as one
  ``ChecklistRun`` each, so completion is counted per school.
- ``DiagnosisVisit`` (教学诊断): the lead school's research team visits a member school or campus.
- ``ResearchDay`` (集中研训研修): a centralised training or research day of the group, with attendance.
- ``CourseResource`` (优质课程资源共享平台): a file a member school shares with its group. Visible only to
  users whose scope covers one of the group's *current* member schools (``GroupResourceQuerySet``).
- ``FundAllocation`` / ``FundSpending`` (教育集团办学专项资金): the yearly allocation per group (range from
  policies) and its ledger of payments for eligible uses (policy), never beyond the allocation.
- ``BuildingProject`` (学校建设项目, 三年大会战): new builds, extensions and renovations with investment,
  land and floor area; the programme totals are computed (``selectors.programme_totals``).

Group records copy the group's area and, like the group, apply downwards (a member school's township
sees its county's group records); they are written by whoever holds the group's area.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import AreaFromMixin, ScopedModel
from jiceng.core.scope import DownwardQuerySet, RestrictedQuerySet, permission_name, user_scope_paths
from jiceng.education.choices import Subject
from jiceng.education.groupwork.choices import (
    FundUse,
    ProjectKind,
    ProjectStatus,
    ResearchDayKind,
    ResourceKind,
)

YUAN = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0.01"))]}


def split_keys(text: str) -> list[str]:
    """``"a, b,,c"`` → ``["a", "b", "c"]`` (comma-separated keys: subjects, fund uses)."""
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


def subject_labels(text: str) -> str:
    labels = dict(Subject.choices)
    return "、".join(str(labels.get(key, key)) for key in split_keys(text))


class GroupRecord(AreaFromMixin, ScopedModel):
    """A row of one education group: ``area`` is the group's (copied on save); applies downwards."""

    area_from = "group"

    objects = DownwardQuerySet.as_manager()

    class Meta:
        abstract = True


def group_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        "education.EducationGroup",
        verbose_name=_("education group"),
        on_delete=models.PROTECT,
        related_name=related_name,
    )


def area_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name=related_name, editable=False
    )


class GroupPlan(GroupRecord):
    """A group's unified plan for a school year (集团统一计划), checked per member school.

    ``template`` is a seeded checklist (the four “统一” items, or 实验中学's five areas “同部署、同考核、
    同落实”); ``checklist_campaign`` is created with the plan (``services.do_create_group_plan``): one run
    per current member school, whose items the schools mark done with evidence."""

    group = group_field("plans")
    area = area_field("education_group_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    template = models.ForeignKey(
        "checklists.ChecklistTemplate",
        verbose_name=_("checklist"),
        on_delete=models.PROTECT,
        related_name="education_group_plans",
    )
    checklist_campaign = models.OneToOneField(
        "checklists.Campaign",
        verbose_name=_("checklist campaign"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="education_group_plan",
    )
    due_on = models.DateField(_("due on"))
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("group plan")
        verbose_name_plural = _("group plans")
        ordering = ["-year", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year", "template"], name="groupwork_plan_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class DiagnosisVisit(GroupRecord):
    """A teaching-diagnosis visit (教学诊断): the research team of ``team_school`` (the lead school by
    default) visits a member school (and campus) on a date, for some subjects; findings and follow-up."""

    group = group_field("diagnosis_visits")
    area = area_field("education_diagnosis_visits")
    team_school = models.ForeignKey(
        "education.School",
        verbose_name=_("research team's school"),
        on_delete=models.PROTECT,
        related_name="diagnosis_visits_made",
    )
    team = models.CharField(_("research team"), max_length=200, help_text=_("Names of the team members."))
    visited_school = models.ForeignKey(
        "education.School",
        verbose_name=_("visited school"),
        on_delete=models.PROTECT,
        related_name="diagnosis_visits_received",
    )
    visited_campus = models.ForeignKey(
        "education.Campus",
        verbose_name=_("visited campus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="diagnosis_visits",
    )
    visited_on = models.DateField(_("visited on"))
    subjects = models.CharField(
        _("subjects"), max_length=200, blank=True, help_text=_("Comma-separated subject keys (chinese, maths, …).")
    )
    findings = models.TextField(_("findings"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_due_on = models.DateField(_("follow-up due on"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("follow-up done on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("teaching-diagnosis visit")
        verbose_name_plural = _("teaching-diagnosis visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["group", "visited_on"], name="groupwork_visit_group_on")]

    def __str__(self) -> str:
        place = self.visited_campus.name if self.visited_campus_id else self.visited_school.name
        return f"{self.visited_on} · {place}"

    def subject_display(self) -> str:
        return subject_labels(self.subjects)


class ResearchDay(GroupRecord):
    """A centralised training or research day of the group (集中研训研修), with its attendance."""

    group = group_field("research_days")
    area = area_field("education_research_days")
    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("kind"), max_length=10, choices=ResearchDayKind.choices, default=ResearchDayKind.BOTH)
    topic = models.CharField(_("topic"), max_length=200)
    host_school = models.ForeignKey(
        "education.School",
        verbose_name=_("host school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="research_days_hosted",
    )
    subjects = models.CharField(_("subjects"), max_length=200, blank=True)
    invited_count = models.PositiveIntegerField(_("teachers invited"))
    attended_count = models.PositiveIntegerField(_("teachers attended"))
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("research day")
        verbose_name_plural = _("research days")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attended_count__lte=models.F("invited_count")), name="groupwork_research_day_attendance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on} · {self.topic}"

    def clean(self) -> None:
        if (
            self.invited_count is not None
            and self.attended_count is not None
            and self.attended_count > self.invited_count
        ):
            raise ValidationError({"attended_count": _("More teachers attended than were invited.")}, code="attendance")

    def subject_display(self) -> str:
        return subject_labels(self.subjects)


# --- shared course resources ------------------------------------------------------------------
def current_membership_q(on: dt.date, prefix: str = "") -> Q:
    """Memberships current on ``on`` (joined, not yet left)."""
    return Q(**{f"{prefix}joined_on__lte": on}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})
    )


class GroupResourceQuerySet(RestrictedQuerySet):
    """Group-only visibility: a resource is *viewed* by users whose scope covers one of its group's
    current member schools (the lead school counts) — a school of the same county that is not a
    member sees nothing (404). Adding, changing and deleting go by the uploading school's area."""

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        if action != "view":
            return super().restrict(user, action)
        paths = user_scope_paths(user, permission_name(self.model, "view"))
        if not paths:
            return self.none()
        from jiceng.education.models import GroupMembership

        members = GroupMembership.objects.filter(current_membership_q(timezone.localdate()), group=OuterRef("group"))
        covers_member = Q()
        covers_lead = Q()
        for path in paths:
            covers_member |= Q(area__path__startswith=path)
            covers_lead |= Q(group__lead_school__area__path__startswith=path)
        return self.filter(Exists(members.filter(covers_member)) | covers_lead)


def resource_upload_to(instance: CourseResource, filename: str) -> str:
    return f"education_groupwork/resources/{instance.group_id}/{filename}"


class CourseResource(AreaFromMixin, ScopedModel):
    """A course, lesson plan or feature course a member school shares with its group (E05).

    The file lives under ``MEDIA_ROOT/education_groupwork/resources/<group>/`` with a random name; its
    SHA-256 is kept. It is served only through the scoped download view. ``area`` is the uploading
    school's; who may *see* it is decided by ``GroupResourceQuerySet`` (current member schools)."""

    area_from = "school"
    audit_exclude = ("created_at", "updated_at", "file")  # the audit cannot hold a FieldFile (core.audit)

    group = group_field("course_resources")
    school = models.ForeignKey(
        "education.School",
        verbose_name=_("shared by (school)"),
        on_delete=models.PROTECT,
        related_name="course_resources",
    )
    area = area_field("education_course_resources")
    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind.choices, default=ResourceKind.COURSE)
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=resource_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = GroupResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("course resource")
        verbose_name_plural = _("course resources")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["group", "kind"], name="groupwork_resource_group_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=12), name="groupwork_resource_grade"
            )
        ]

    def __str__(self) -> str:
        return self.title


# --- the group special fund -------------------------------------------------------------------
class FundAllocation(GroupRecord):
    """A group's special-fund allocation for one year (教育集团办学专项资金), in yuan.

    Its range is ``education.group_fund_min_yuan`` … ``education.group_fund_max_yuan`` where the county
    sets them (莘县: seed 000); spending goes into ``FundSpending`` rows."""

    group = group_field("fund_allocations")
    area = area_field("education_fund_allocations")
    year = models.PositiveSmallIntegerField(_("year"))
    amount_yuan = models.DecimalField(_("amount (yuan)"), **YUAN)  # type: ignore[arg-type]
    approved_on = models.DateField(_("approved on"))
    document = models.CharField(_("approving document"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["-year", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="groupwork_allocation_once_a_year"),
            models.CheckConstraint(condition=Q(amount_yuan__gt=0), name="groupwork_allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.year}"


class FundSpending(AreaFromMixin, ScopedModel):
    """One payment from a group's allocation (the spending ledger): date, eligible use, amount."""

    area_from = "allocation"

    allocation = models.ForeignKey(
        FundAllocation, verbose_name=_("allocation"), on_delete=models.PROTECT, related_name="spendings"
    )
    area = area_field("education_fund_spendings")
    spent_on = models.DateField(_("spent on"))
    use = models.CharField(_("use"), max_length=20, choices=FundUse.choices)
    amount_yuan = models.DecimalField(_("amount (yuan)"), **YUAN)  # type: ignore[arg-type]
    description = models.CharField(_("description"), max_length=200)
    school = models.ForeignKey(
        "education.School",
        verbose_name=_("benefiting school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_fund_spendings",
    )
    voucher = models.CharField(_("voucher number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = DownwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund spending")
        verbose_name_plural = _("fund spendings")
        ordering = ["-spent_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_yuan__gt=0), name="groupwork_spending_positive")]

    def __str__(self) -> str:
        return f"{self.spent_on} · {self.get_use_display()} · {self.amount_yuan}"


# --- school building --------------------------------------------------------------------------
class BuildingProject(ScopedModel):
    """A school-building project (学校建设项目) of a programme such as 东昌府区's 2017–2020 三年大会战:
    new build, extension or renovation of a school (or of a school still being planned)."""

    name = models.CharField(_("name"), max_length=200)
    programme = models.CharField(_("programme"), max_length=120, blank=True)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="education_building_projects"
    )
    school = models.ForeignKey(
        "education.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="building_projects",
    )
    planned_school = models.CharField(
        _("planned school"), max_length=120, blank=True, help_text=_("For a school that does not exist yet.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ProjectKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    planning_year = models.PositiveSmallIntegerField(_("planning year"))
    investment_yuan = models.DecimalField(_("investment (yuan)"), null=True, blank=True, **YUAN)  # type: ignore[arg-type]
    land_mu = models.DecimalField(
        _("new land (mu)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    floor_area_m2 = models.DecimalField(
        _("new floor area (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("school-building project")
        verbose_name_plural = _("school-building projects")
        ordering = ["-planning_year", "name"]
        indexes = [models.Index(fields=["planning_year", "status"], name="groupwork_project_year_status")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.school_id and not self.planned_school.strip():
            raise ValidationError(
                {"planned_school": _("Name the school, or the planned school when it does not exist yet.")},
                code="school",
            )
        if self.school_id and self.area_id and not self.school.area.path.startswith(self.area.path):
            raise ValidationError({"area": _("The school lies outside this area.")}, code="area")
        if self.status == ProjectStatus.COMPLETED and self.completed_on is None:
            raise ValidationError({"completed_on": _("A completed project has a completion date.")}, code="completed")
        if self.completed_on and self.status != ProjectStatus.COMPLETED:
            raise ValidationError({"status": _("Only a completed project has a completion date.")}, code="completed")
