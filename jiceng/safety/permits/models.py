"""Hazardous work (危险作业, catalogue S10) and special-work permits (特殊作业票, GB 30871-2022).

An enterprise reports each hazardous operation it carries out (``OperationReport``: the work
type, where, when, how many workers) and runs each of the eight special-work types under a
``WorkPermit`` (作业票): hot work, confined space, blind plate, work at height, lifting,
temporary power, excavation, road closure. A permit's level is computed (hot work: chosen;
height: from metres; lifting: from tonnes — every edge a policy), its window may not exceed the
validity policy of its type and level, and it moves draft → submitted → approved → active →
closed (or rejected, cancelled) through the workflow engine; approval needs
``approve_workpermit`` at the area level the policy names for that level.
See docs/modules/safety-permits.md.
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from jiceng.core.models import ScopedModel
from jiceng.safety.models import EnterpriseAreaMixin, area_field
from jiceng.safety.permits import rules
from jiceng.safety.permits.choices import (
    BlindPlateMode,
    HotWorkLevel,
    PermitLevel,
    PermitState,
    WorkType,
)


class OperationReport(EnterpriseAreaMixin, ScopedModel):
    """One hazardous operation an enterprise reported (危险作业报告): type, location, time, workers.

    It is covered when an approved (active or since closed) permit of the same enterprise and work
    type was valid when the work started; work that has started without one raises an alert.
    """

    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="operation_reports",
    )
    area = area_field("operation_reports")
    work_type = models.CharField(_("work type"), max_length=20, choices=WorkType.choices)
    location = models.CharField(_("location"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    workers = models.PositiveIntegerField(_("number of workers"), validators=[MinValueValidator(1)])
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("hazardous operation report")
        verbose_name_plural = _("hazardous operation reports")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "work_type", "starts_at"], name="permit_report_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="permit_report_ends_after"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_work_type_display()} · {self.enterprise} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"
        )


class WorkPermit(ConcurrentTransitionMixin, EnterpriseAreaMixin, ScopedModel):
    """A special-work permit (作业票) of one enterprise for one job, with its requested window."""

    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="work_permits"
    )
    area = area_field("work_permits")
    number = models.CharField(_("permit number"), max_length=40, blank=True)
    work_type = models.CharField(_("work type"), max_length=20, choices=WorkType.choices)
    hot_work_level = models.CharField(
        _("hot work level"), max_length=8, choices=HotWorkLevel.choices, blank=True, help_text=_("Hot work only.")
    )
    blind_plate_mode = models.CharField(
        _("blind plate operation"),
        max_length=8,
        choices=BlindPlateMode.choices,
        blank=True,
        help_text=_("Blind plate work only."),
    )
    height_m = models.DecimalField(
        _("working height (m)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Work at height only: the height above the datum of a possible fall."),
    )
    load_t = models.DecimalField(
        _("load (t)"), max_digits=8, decimal_places=2, null=True, blank=True, help_text=_("Lifting only.")
    )
    is_special_power = models.BooleanField(
        _("special circumstances"),
        default=False,
        help_text=_("Temporary power only: the longer validity allowed in special circumstances."),
    )
    level = models.CharField(_("permit level"), max_length=8, choices=PermitLevel.choices, blank=True, editable=False)
    location = models.CharField(_("location"), max_length=200)
    content = models.TextField(_("work content"))
    workers = models.PositiveIntegerField(_("number of workers"), validators=[MinValueValidator(1)])
    applicant = models.CharField(_("permit applicant"), max_length=50)
    guardian = models.CharField(_("guardian"), max_length=50, help_text=_("The trained watcher on site (监护人)."))
    valid_from = models.DateTimeField(_("permit valid from"))
    valid_until = models.DateTimeField(_("permit valid until"))
    # Not ``protected``: the generic services validate every field (``full_clean`` sets each one) and the
    # demo writes past permits in their final state; after creation only transitions change it (the
    # services, forms and API never take a state).
    state = FSMField(_("state"), max_length=12, choices=PermitState.choices, default=PermitState.DRAFT)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("level",)

    class Meta:
        verbose_name = _("work permit")
        verbose_name_plural = _("work permits")
        ordering = ["-valid_from", "-id"]
        permissions = [("approve_workpermit", _("Can approve work permits"))]
        indexes = [
            models.Index(fields=["enterprise", "work_type", "valid_from"], name="permit_cover_lookup"),
            models.Index(fields=["state", "valid_until"], name="permit_state_until"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="permit_window_ordered"),
        ]

    def __str__(self) -> str:
        label = self.number or (f"#{self.pk}" if self.pk else "")
        return " ".join(part for part in (self.get_work_type_display(), label, "·", str(self.enterprise)) if part)

    @property
    def duration(self) -> dt.timedelta:
        return self.valid_until - self.valid_from

    def is_expired(self, now: dt.datetime) -> bool:
        return self.valid_until <= now

    def remaining(self, now: dt.datetime) -> dt.timedelta:
        return self.valid_until - now

    # --- the workflow (run through jiceng.safety.permits.services.do_transition) -------------
    @transition(
        field=state,
        source=PermitState.DRAFT,
        target=PermitState.SUBMITTED,
        conditions=[rules.SUBMIT],
        permission="change",
    )
    def submit(self) -> None:
        pass

    @transition(
        field=state,
        source=PermitState.SUBMITTED,
        target=PermitState.APPROVED,
        conditions=[rules.APPROVE],
        permission="approve_workpermit",
    )
    def approve(self) -> None:
        self.approved_at = timezone.now()

    @transition(field=state, source=PermitState.SUBMITTED, target=PermitState.REJECTED, permission="approve_workpermit")
    def reject(self) -> None:
        pass

    @transition(
        field=state,
        source=PermitState.APPROVED,
        target=PermitState.ACTIVE,
        conditions=[rules.START],
        permission="change",
    )
    def start(self) -> None:
        self.started_at = timezone.now()

    @transition(field=state, source=PermitState.ACTIVE, target=PermitState.CLOSED, permission="change")
    def close(self) -> None:
        self.closed_at = timezone.now()

    @transition(
        field=state,
        source=[PermitState.DRAFT, PermitState.SUBMITTED, PermitState.APPROVED],
        target=PermitState.CANCELLED,
        permission="change",
    )
    def cancel(self) -> None:
        self.closed_at = timezone.now()
