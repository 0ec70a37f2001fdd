"""Catchment allocation (招生派位, catalogue E09) and rural intake trends (E13).

- ``CatchmentZone``: a zone (学区/片区) of a county: its kind (单校划片 / 多校划片), its schools and
  the villages and communities (village-level ``Area`` rows) whose residents are its catchment.
- ``EnrolmentPlan``: planned classes of a school's entry grade (1 or 7) in a school year; the
  capacity is planned classes × the class-size cap in force for the school's area.
- ``AllocationRun``: one allocation of a cohort over the capacities with a recorded lottery seed,
  its inputs (capacity and zone snapshots, overrides, diversions) and figures; draft → published
  (one published run per area, year and grade) or withdrawn. What-if runs copy a run's cohort
  with changed capacities or zones and never touch the published run.
- ``Placement``: one applicant of a run (its inputs: home village, preferences, categories) and
  its result (school, tier, lottery, how it was placed) with the explanation (the preferences
  passed over, each with its cut-off).
- ``IntakeRecord``: the new students a school admitted in a year's entry grade (农村学校新生回流).

See docs/modules/education-allocation.md.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jiceng.core.models import AreaFromMixin, ScopedModel
from jiceng.education.allocation.choices import ENTRY_GRADES, EntryGrade, PlacementVia, RunMode, RunState, ZoneKind
from jiceng.education.models import SchoolAreaMixin, area_field


class CatchmentZone(ScopedModel):
    """A catchment zone (学区/片区) of ``area`` (the county that draws it): the residents of its
    villages are tier 1 at each of its schools (单校划片: one school; 多校划片: several, by lottery)."""

    name = models.CharField(_("name"), max_length=120)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="catchment_zones"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ZoneKind.choices, default=ZoneKind.SINGLE)
    grade = models.PositiveSmallIntegerField(_("entry grade"), choices=EntryGrade.choices, default=EntryGrade.PRIMARY)
    schools = models.ManyToManyField(
        "education.School", verbose_name=_("schools"), related_name="catchment_zones", blank=True
    )
    villages = models.ManyToManyField(
        "directory.Area",
        verbose_name=_("villages and communities"),
        related_name="catchment_zones_of",
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("catchment zone")
        verbose_name_plural = _("catchment zones")
        ordering = ["area__path", "grade", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "grade", "name"], name="allocation_zone_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class EnrolmentPlan(SchoolAreaMixin, ScopedModel):
    """A school's enrolment plan (招生计划) for one entry grade of one school year: planned classes.

    Its capacity is ``planned_classes`` × the cap policy in force for the school's area at the start
    of the school year (``services.plan_capacity``), never a number stored here."""

    school = models.ForeignKey(
        "education.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="enrolment_plans"
    )
    area = area_field("enrolment_plans")
    year = models.PositiveSmallIntegerField(_("school year"))
    grade = models.PositiveSmallIntegerField(_("entry grade"), choices=EntryGrade.choices)
    planned_classes = models.PositiveSmallIntegerField(_("planned classes"), validators=[MinValueValidator(0)])
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("enrolment plan")
        verbose_name_plural = _("enrolment plans")
        ordering = ["-year", "grade", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "grade"], name="allocation_plan_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.year} · {self.grade}"

    def clean(self) -> None:
        if self.grade and self.grade not in ENTRY_GRADES:
            raise ValidationError({"grade": _("An enrolment plan is for grade 1 or grade 7.")}, code="grade")
        if self.school_id and self.grade and self.grade not in self.school.grades:
            raise ValidationError(
                {"grade": _("%(school)s has no grade %(grade)s.") % {"school": self.school, "grade": self.grade}},
                code="grade",
            )


class AllocationRun(ScopedModel):
    """One allocation (招生派位) of a cohort of ``area`` for ``year`` and ``grade``.

    Inputs are kept as they were used: ``capacity_snapshot`` (school id → seats, overrides applied),
    ``zones_snapshot`` (zone id → schools and villages, overrides applied), ``seed`` (the lottery),
    ``max_preferences`` and ``tier_order`` (the policies then in force). A what-if run
    (``base_run`` set) copies its base's cohort and seed with changed capacities or zones."""

    name = models.CharField(_("name"), max_length=120)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="allocation_runs"
    )
    year = models.PositiveSmallIntegerField(_("school year"))
    grade = models.PositiveSmallIntegerField(_("entry grade"), choices=EntryGrade.choices)
    mode = models.CharField(_("mode"), max_length=12, choices=RunMode.choices, default=RunMode.STANDARD)
    seed = models.BigIntegerField(_("lottery seed"))
    state = FSMField(_("state"), max_length=10, choices=RunState.choices, default=RunState.DRAFT)
    base_run = models.ForeignKey(
        "self",
        verbose_name=_("what-if of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="what_ifs",
    )
    capacity_overrides = models.JSONField(_("capacity overrides"), default=dict, blank=True)
    zone_overrides = models.JSONField(_("zone overrides"), default=dict, blank=True)
    diversions = models.JSONField(_("diversions"), default=dict, blank=True)
    capacity_snapshot = models.JSONField(_("capacities used"), default=dict, blank=True, editable=False)
    zones_snapshot = models.JSONField(_("zones used"), default=dict, blank=True, editable=False)
    school_figures = models.JSONField(_("school figures"), default=dict, blank=True, editable=False)
    max_preferences = models.PositiveSmallIntegerField(_("preferences allowed"), default=0, editable=False)
    tier_order = models.CharField(_("tier order"), max_length=80, blank=True, editable=False)
    applicant_count = models.PositiveIntegerField(_("applicants"), default=0, editable=False)
    placed_count = models.PositiveIntegerField(_("placed"), default=0, editable=False)
    unplaced_count = models.PositiveIntegerField(_("unplaced"), default=0, editable=False)
    elapsed_ms = models.FloatField(_("matching time (ms)"), default=0, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = (
        "capacity_snapshot",
        "zones_snapshot",
        "school_figures",
        "max_preferences",
        "tier_order",
        "applicant_count",
        "placed_count",
        "unplaced_count",
        "elapsed_ms",
    )

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-year", "grade", "-id"]
        permissions = [("publish_allocationrun", _("Can publish allocation runs"))]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "grade"],
                condition=Q(state="published"),
                name="allocation_one_published_run",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_what_if(self) -> bool:
        return self.base_run_id is not None

    @transition(field=state, source=RunState.DRAFT, target=RunState.PUBLISHED, permission="publish_allocationrun")
    def publish(self) -> None:
        self.published_at = timezone.now()

    @transition(field=state, source=RunState.PUBLISHED, target=RunState.WITHDRAWN, permission="publish_allocationrun")
    def withdraw(self) -> None:
        pass

    def capacity_of(self, school_id: int) -> int:
        return int(self.capacity_snapshot.get(str(school_id), 0))


class Placement(AreaFromMixin, ScopedModel):
    """One applicant of a run: inputs (home village, preferences, categories) and result with its
    explanation. ``passed_over`` lists the preferences above the placement that did not admit the
    applicant, each ``{"school", "tier", "reason": "full"|"no_seats", "cutoff_tier",
    "cutoff_lottery", "round"}`` — the cut-off is the tier and lottery of the last admitted."""

    area_from = "run"

    run = models.ForeignKey(
        AllocationRun, verbose_name=_("allocation run"), on_delete=models.CASCADE, related_name="placements"
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="allocation_placements",
        editable=False,
    )
    index = models.PositiveIntegerField(_("position in the cohort"))
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocation_placements",
    )
    student = models.ForeignKey(
        "education.Student",
        verbose_name=_("student"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocation_placements",
    )
    name = models.CharField(_("name"), max_length=50)
    home_area = models.ForeignKey(
        "directory.Area", verbose_name=_("home village"), on_delete=models.PROTECT, related_name="+"
    )
    preferences = models.JSONField(_("preferences"), default=list)
    is_policy_care = models.BooleanField(_("policy-care category"), default=False)
    sibling_schools = models.JSONField(_("schools of siblings"), default=list, blank=True)
    teacher_parent_schools = models.JSONField(_("schools where a parent teaches"), default=list, blank=True)
    lottery = models.PositiveIntegerField(_("lottery number"))
    school = models.ForeignKey(
        "education.School",
        verbose_name=_("school placed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocation_placements",
    )
    choice = models.PositiveSmallIntegerField(_("preference placed"), null=True, blank=True)
    tier = models.PositiveSmallIntegerField(_("tier"), null=True, blank=True)
    via = models.CharField(_("placed by"), max_length=12, choices=PlacementVia.choices)
    passed_over = models.JSONField(_("preferences passed over"), default=list, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="allocation_placement_index")]
        indexes = [
            models.Index(fields=["run", "school"], name="allocation_placement_school"),
            models.Index(fields=["run", "via"], name="allocation_placement_via"),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.name}"

    @property
    def is_placed(self) -> bool:
        return self.school_id is not None

    def explanation(self, school_names: dict[int, str]) -> list[dict[str, Any]]:
        """``passed_over`` with school names."""
        return [{**row, "school_name": school_names.get(row["school"], str(row["school"]))} for row in self.passed_over]


class IntakeRecord(SchoolAreaMixin, ScopedModel):
    """New students a school admitted into an entry grade in a year (新生录取人数)."""

    school = models.ForeignKey(
        "education.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="intake_records"
    )
    area = area_field("intake_records")
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.PositiveSmallIntegerField(_("entry grade"), choices=EntryGrade.choices)
    admitted = models.PositiveIntegerField(_("new students admitted"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("intake record")
        verbose_name_plural = _("intake records")
        ordering = ["school__name", "year", "grade"]
        constraints = [models.UniqueConstraint(fields=["school", "year", "grade"], name="allocation_intake_unique")]

    def __str__(self) -> str:
        return f"{self.school} · {self.year}: {self.admitted}"

    def clean(self) -> None:
        if self.grade and self.grade not in ENTRY_GRADES:
            raise ValidationError({"grade": _("Intake is counted for grade 1 or grade 7.")}, code="grade")
