"""Work safety (安全生产): the enterprises under supervision.

An enterprise is the shared ``directory.Enterprise`` (一企一档); this app adds what the emergency
management bureau keeps about it — its ``SafetyProfile`` (supervision sector, hazardous-chemical
role, standardisation grade), its installations (retrofit and informatisation), and the resident supervision
roster of supervisors with their guidance logs. Every other safety app hangs its rows on an
enterprise and copies the enterprise's area (``EnterpriseAreaMixin``), so scope needs no join.
See docs/modules/safety.md.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiceng.core.deadlines.models import InstallationQuerySet
from jiceng.core.models import AreaFromMixin, ScopedModel


class EnterpriseAreaMixin(AreaFromMixin):
    """For rows that belong to an enterprise: ``area`` is copied from ``enterprise`` on every save."""

    area_from = "enterprise"

    class Meta:
        abstract = True


def area_field(related_name: str) -> models.ForeignKey:
    """The copied area of an enterprise-owned row (not editable: it follows the enterprise)."""
    return models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name=related_name, editable=False
    )


class SafetySector(models.Model):
    """One of the bureau's supervision sectors (行业领域; the seed counts 16 without naming them, so
    they are data). Installation-wide: anyone with the permission sees them all."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    installation_wide = True  # no Area: the permission alone decides (core.services.check_conformance)
    objects = InstallationQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision sector")
        verbose_name_plural = _("supervision sectors")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("safety:safetysector_detail", args=[self.pk])


class ChemicalRole(models.TextChoices):
    """The hazardous-chemical registration kinds of S09 (生产、经营、使用、化工医药)."""

    NONE = "", _("none")
    PRODUCER = "producer", _("hazardous-chemical producer")
    TRADER = "trader", _("hazardous-chemical trader")
    USER = "user", _("hazardous-chemical user")
    CHEMICAL_PHARMA = "chemical_pharma", _("chemical or pharmaceutical enterprise")


class SafetyGrade(models.TextChoices):
    """安全生产标准化 grades: 一级 national, 二级 provincial, 三级 city (一级 highest)."""

    NONE = "", _("not graded")
    LEVEL1 = "1", _("level 1 (national)")
    LEVEL2 = "2", _("level 2 (provincial)")
    LEVEL3 = "3", _("level 3 (city)")


class SafetyProfile(EnterpriseAreaMixin, ScopedModel):
    """What the bureau keeps about one enterprise (one profile per ``Enterprise``).

    ``grade_expires_on`` is derived: the award date plus ``safety.standardisation.validity_months``
    in force on that date (``services.grade_expiry``); the service writes it, the expiry scan reads it.
    """

    enterprise = models.OneToOneField(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="safety_profile"
    )
    area = area_field("safety_profiles")
    sector = models.ForeignKey(
        SafetySector,
        verbose_name=_("supervision sector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
    )
    chemical_role = models.CharField(
        _("hazardous-chemical role"), max_length=20, choices=ChemicalRole.choices, blank=True, db_index=True
    )
    safety_grade = models.CharField(_("standardisation grade"), max_length=1, choices=SafetyGrade.choices, blank=True)
    grade_awarded_on = models.DateField(_("grade awarded on"), null=True, blank=True)
    grade_expires_on = models.DateField(_("grade expires on"), null=True, blank=True, editable=False)
    is_deep_well_casting = models.BooleanField(
        _("deep-well casting (aluminium)"),
        default=False,
        help_text=_("Checked against the seven aluminium items in the hundred-day campaign."),
    )
    has_explosive_dust = models.BooleanField(
        _("explosive dust"),
        default=False,
        help_text=_("Checked against the six dust items in the hundred-day campaign."),
    )
    principal = models.CharField(_("principal"), max_length=50, blank=True)
    safety_manager = models.CharField(_("safety manager"), max_length=50, blank=True)
    safety_manager_phone = models.CharField(_("safety manager's phone"), max_length=32, blank=True)
    employees = models.PositiveIntegerField(_("employees"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("grade_expires_on",)

    class Meta:
        verbose_name = _("safety profile")
        verbose_name_plural = _("safety profiles")
        ordering = ["area__path", "enterprise__name"]
        indexes = [models.Index(fields=["grade_expires_on"], name="safety_profile_grade_exp")]
        constraints = [
            models.CheckConstraint(
                condition=Q(safety_grade="") | Q(grade_awarded_on__isnull=False), name="safety_grade_has_award_date"
            )
        ]

    def __str__(self) -> str:
        return str(self.enterprise)


class InstallationKind(models.TextChoices):
    PROCESS_UNIT = "process_unit", _("process installation")  # 生产装置
    STORAGE = "storage", _("storage tank farm or warehouse")  # 储存设施
    GAS_STATION = "gas_station", _("filling station")  # 加油(气)站
    OTHER = "other", _("other")


class Installation(EnterpriseAreaMixin, ScopedModel):
    """One installation of an enterprise, with its "机械化换人、自动化减人" retrofit and its
    informatisation (S07). ``retrofit_required`` marks the installations the programme covers."""

    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="installations"
    )
    area = area_field("safety_installations")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=InstallationKind.choices, default=InstallationKind.OTHER)
    retrofit_required = models.BooleanField(_("retrofit required"), default=False)
    retrofit_done_on = models.DateField(_("retrofit completed on"), null=True, blank=True)
    informatised_on = models.DateField(_("informatisation completed on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installations")
        ordering = ["enterprise", "name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="safety_installation_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.name}"


class ResidentSupervision(EnterpriseAreaMixin, ScopedModel):
    """A supervisor stationed at a key enterprise (驻点监管) from ``started_on`` until ``ended_on``."""

    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="resident_supervisions",
    )
    area = area_field("safety_resident_supervisions")
    supervisor = models.ForeignKey(
        "directory.Person",
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="safety_resident_supervisions",
    )
    sector = models.ForeignKey(
        SafetySector,
        verbose_name=_("supervision sector"),
        on_delete=models.PROTECT,
        related_name="resident_supervisions",
    )
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("supervisor's unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="safety_resident_supervisions",
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("resident supervision")
        verbose_name_plural = _("resident supervision roster")
        ordering = ["enterprise", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="safety_resident_supervision_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} → {self.enterprise}"

    def is_current(self, on: dt.date) -> bool:
        return self.started_on <= on and (self.ended_on is None or self.ended_on > on)


class GuidanceLog(ScopedModel):
    """One guidance visit of a stationed supervisor ("点穴式"督促指导), with the counters the bureau
    reports: rules and regulations the enterprise improved, safety training sessions it held."""

    scope_area_field = "supervision__area"

    supervision = models.ForeignKey(
        ResidentSupervision,
        verbose_name=_("resident supervision"),
        on_delete=models.PROTECT,
        related_name="guidance_logs",
    )
    visited_on = models.DateField(_("visited on"))
    summary = models.TextField(_("guidance given"))
    rules_improved = models.PositiveIntegerField(_("rules and regulations improved"), default=0)
    trainings_held = models.PositiveIntegerField(_("safety training sessions held"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("guidance log")
        verbose_name_plural = _("guidance logs")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.supervision} · {self.visited_on}"
