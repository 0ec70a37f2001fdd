"""Inspections, special campaigns, and the hazard ledger with its rectification (S02–S05, S12, S14).

- ``SafetyCampaign`` (专项行动): a dated campaign of an Area (a city's 百日清零, its two rounds of
  major-hazard-source supervision, the year-end enforcement, the certificate anti-fraud campaign).
  Its ``TargetGroup`` rows say which enterprises it targets (deep-well casting, explosive dust, a
  chemical role, sectors) and which checklist (``core.checklists``) each group is checked against;
  assigning a group creates one ``CampaignTarget`` and one ``ChecklistRun`` per enterprise.
- ``Inspection``: one enterprise-inspection (家次) — enforcement, supervision or the enterprise's own
  self-check — with its visual-enforcement ``InspectionRecording`` files (SHA-256 kept).
- ``Hazard``: one finding (ordinary or major) moving reported → rectifying → submitted → closed
  (or back to rectifying when the verification fails; a closed hazard can be reopened) only through
  ``services.do_transition``; its deadline columns are scanned by the deadlines engine. A major
  hazard has a ``RectificationPlan`` (五落实) and is listed for supervision (挂牌督办) while open.
  ``RectificationEvidence`` and ``Verification`` rows are facts, never edited.

Rows that belong to an enterprise copy its area (``EnterpriseAreaMixin``); child rows are scoped
through their parent's area. Campaigns are visible below their Area (a township sees its city's
campaign), like policies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from jiceng.core.deadlines.models import DeadlineMixin, DeadlineState, deadline_indexes
from jiceng.core.models import ScopedModel
from jiceng.core.scope import DownwardQuerySet
from jiceng.core.workflow.guards import evaluation_date
from jiceng.safety.hazards import rules
from jiceng.safety.hazards.choices import (
    CampaignKind,
    HazardSeverity,
    HazardStatus,
    InspectionKind,
    RecordingKind,
)
from jiceng.safety.models import EnterpriseAreaMixin, area_field


class CampaignQuerySet(DownwardQuerySet):
    """Campaigns apply downwards: a township sees the city's campaign it takes part in."""


class SafetyCampaign(ScopedModel):
    """A special campaign (专项行动/专项整治) organised by an Area's bureau for a period."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=CampaignKind.choices, default=CampaignKind.OTHER)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="hazard_campaigns"
    )
    organiser = models.CharField(_("organised by"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    rounds = models.PositiveSmallIntegerField(_("inspection rounds"), default=1)
    key_sectors = models.ManyToManyField(
        "safety.SafetySector", verbose_name=_("key sectors"), blank=True, related_name="hazard_campaigns"
    )
    measures = models.TextField(_("measures checked"), blank=True, help_text=_("e.g. the six preventions"))
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety campaign")
        verbose_name_plural = _("safety campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="hazards_campaign_dates"
            ),
            models.CheckConstraint(condition=Q(rounds__gte=1), name="hazards_campaign_rounds"),
        ]

    def __str__(self) -> str:
        return self.name


class TargetGroup(ScopedModel):
    """One group of enterprises a campaign targets, and the checklist they are checked against.

    The criteria are ANDed; an empty criterion does not restrict. ``checklist_campaign`` is set
    when the group is assigned (``services.do_assign_targets``): one run per enterprise.
    """

    scope_area_field = "campaign__area"

    campaign = models.ForeignKey(
        SafetyCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=120)
    template = models.ForeignKey(
        "checklists.ChecklistTemplate",
        verbose_name=_("checklist"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazard_target_groups",
    )
    checklist_campaign = models.OneToOneField(
        "checklists.Campaign",
        verbose_name=_("checklist campaign"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="hazard_target_group",
    )
    is_deep_well_casting = models.BooleanField(_("deep-well casting enterprises only"), default=False)
    has_explosive_dust = models.BooleanField(_("explosive-dust enterprises only"), default=False)
    chemical_roles = models.CharField(
        _("hazardous-chemical roles"),
        max_length=100,
        blank=True,
        help_text=_("Comma-separated: producer, trader, user, chemical_pharma (empty: any)"),
    )
    sectors = models.ManyToManyField(
        "safety.SafetySector", verbose_name=_("sectors"), blank=True, related_name="hazard_target_groups"
    )
    key_enterprises_only = models.BooleanField(_("key enterprises only"), default=False)
    due_on = models.DateField(_("checklist due on"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="hazards_group_unique_name")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.name}"

    def get_absolute_url(self) -> str:
        return self.campaign.get_absolute_url()

    def role_list(self) -> list[str]:
        return [r.strip() for r in self.chemical_roles.split(",") if r.strip()]


class CampaignTarget(EnterpriseAreaMixin, ScopedModel):
    """One enterprise a campaign targets (through one group), with its checklist run."""

    campaign = models.ForeignKey(
        SafetyCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="targets"
    )
    group = models.ForeignKey(
        TargetGroup, verbose_name=_("target group"), on_delete=models.CASCADE, related_name="targets"
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="hazard_targets"
    )
    area = area_field("hazard_targets")
    run = models.ForeignKey(
        "checklists.ChecklistRun",
        verbose_name=_("checklist run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["campaign", "area__path", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["group", "enterprise"], name="hazards_target_once")]
        indexes = [models.Index(fields=["campaign", "enterprise"], name="hazards_target_campaign_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.campaign}"


class Inspection(EnterpriseAreaMixin, ScopedModel):
    """One enterprise-inspection (家次): who inspected which enterprise on which day, and what they found."""

    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="inspections"
    )
    area = area_field("hazard_inspections")
    campaign = models.ForeignKey(
        SafetyCampaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    kind = models.CharField(
        _("kind"), max_length=16, choices=InspectionKind.choices, default=InspectionKind.ENFORCEMENT
    )
    inspected_on = models.DateField(_("inspected on"))
    officers = models.CharField(_("inspecting officers"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
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

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["campaign", "enterprise"], name="hazards_inspection_camp_idx"),
            models.Index(fields=["inspected_on"], name="hazards_inspection_on_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(round__gte=1), name="hazards_inspection_round")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.inspected_on} · {self.get_kind_display()}"


def recording_upload_to(instance: InspectionRecording, filename: str) -> str:
    return f"safety_hazards/recordings/{instance.inspection_id}/{filename}"


class InspectionRecording(ScopedModel):
    """One audio, video or photo file of an enforcement action (可视化执法, S12).

    The file lives under ``MEDIA_ROOT/safety_hazards/recordings/`` with a random name; its SHA-256
    is computed on upload and kept, so the file can be shown to be unchanged. It is served only
    through the scoped download view, never as a public media URL. Never edited.
    """

    scope_area_field = "inspection__area"
    # The audit's snapshots cannot hold a FieldFile (core.audit); the stored name goes in the comment.
    audit_exclude = ("created_at", "updated_at", "file")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="recordings"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=RecordingKind.choices)
    file = models.FileField(_("file"), upload_to=recording_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.CharField(_("recorded by"), max_length=50)
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

    class Meta:
        verbose_name = _("enforcement recording")
        verbose_name_plural = _("enforcement recordings")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"


class Hazard(ConcurrentTransitionMixin, DeadlineMixin, EnterpriseAreaMixin, ScopedModel):
    """One hazard found at an enterprise (事故隐患): ordinary or major, with its rectification.

    ``status`` moves only through the transitions below, run by ``services.do_transition`` (the
    workflow engine: permission over the area, every guard, row lock, log, audit). The deadline
    columns (``DeadlineMixin``) are filled on acceptance and scanned by the deadlines engine;
    ``entered_on_time`` says whether the finding was entered online within
    ``safety.hazards.online_entry_workdays`` of being found (the online-entry rate, S03).
    """

    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="hazards"
    )
    area = area_field("hazards")
    severity = models.CharField(
        _("hazard level"), max_length=10, choices=HazardSeverity.choices, default=HazardSeverity.ORDINARY
    )
    description = models.TextField(_("finding"))
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    campaign = models.ForeignKey(
        SafetyCampaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    checklist_item = models.ForeignKey(
        "checklists.ChecklistItem",
        verbose_name=_("checklist item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    found_on = models.DateField(_("found on"))
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)
    entered_on_time = models.BooleanField(_("entered online on time"), default=True, editable=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = FSMField(
        _("status"), max_length=12, choices=HazardStatus.choices, default=HazardStatus.REPORTED, protected=True
    )
    accepted_on = models.DateField(_("rectification ordered on"), null=True, blank=True, editable=False)
    due_on = models.DateField(_("rectification deadline"), null=True, blank=True, editable=False)
    due_workdays = models.PositiveSmallIntegerField(_("workdays allowed"), null=True, blank=True, editable=False)
    rectifying_since = models.DateTimeField(_("rectifying since"), null=True, blank=True, editable=False)
    rectification_round = models.PositiveSmallIntegerField(_("rectification round"), default=0, editable=False)
    submitted_on = models.DateField(_("rectification submitted on"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    listed_on = models.DateField(_("listed for supervision on"), null=True, blank=True, editable=False)
    delisted_on = models.DateField(_("delisted on"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("entered_on_time",)

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_on", "-id"]
        permissions = [("verify_hazard", "Can verify a rectification and close or reopen a hazard")]
        indexes = [
            *deadline_indexes("hazard"),
            models.Index(fields=["status", "severity"], name="hazard_status_sev_idx"),
            models.Index(fields=["campaign", "enterprise"], name="hazard_campaign_ent_idx"),
            models.Index(fields=["due_on"], condition=~Q(status="closed"), name="hazard_open_due_idx"),
        ]

    def __str__(self) -> str:
        text = self.description if len(self.description) <= 40 else f"{self.description[:40]}…"
        return f"{self.get_severity_display()} · {text}"

    def clean_fields(self, exclude: Any = None) -> None:
        # ``status`` is protected (transitions only): validation must not write it back.
        super().clean_fields(exclude={*(exclude or ()), "status"})

    @property
    def is_major(self) -> bool:
        return self.severity == HazardSeverity.MAJOR

    def is_overdue(self, on: dt.date | None = None) -> bool:
        """Past its deadline and not rectified in time (submitted on time counts as in time)."""
        on = on or timezone.localdate()
        if self.due_on is None or self.due_on >= on:
            return False
        if self.status == HazardStatus.RECTIFYING:
            return True
        return (
            self.status == HazardStatus.SUBMITTED and self.submitted_on is not None and self.submitted_on > self.due_on
        )

    # --- the rectification workflow (run through services.do_transition) --------------------
    @transition(
        field=status,
        source=HazardStatus.REPORTED,
        target=HazardStatus.RECTIFYING,
        conditions=[rules.ACCEPT],
        permission="change",
    )
    def accept(self, deadline: dict[str, Any]) -> None:
        """限期整改: the deadline fields come from ``rules.deadline_for`` (workdays or the plan)."""
        on = evaluation_date()
        self.accepted_on = on
        self.rectifying_since = timezone.now()
        self.rectification_round += 1
        for name, value in deadline.items():
            setattr(self, name, value)
        self.deadline_state = DeadlineState.PENDING
        if self.is_major:
            self.listed_on, self.delisted_on = on, None

    @transition(
        field=status,
        source=HazardStatus.RECTIFYING,
        target=HazardStatus.SUBMITTED,
        conditions=[rules.SUBMIT],
        permission="change",
    )
    def submit(self) -> None:
        self.submitted_on = evaluation_date()
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=HazardStatus.SUBMITTED,
        target=HazardStatus.CLOSED,
        conditions=[rules.CLOSE],
        permission="verify_hazard",
    )
    def close(self) -> None:
        """复核通过，销号: the deadline is done and a major hazard leaves the supervised list."""
        on = evaluation_date()
        self.closed_on = on
        self.deadline_state = DeadlineState.DONE
        if self.listed_on:
            self.delisted_on = on

    @transition(
        field=status,
        source=HazardStatus.SUBMITTED,
        target=HazardStatus.RECTIFYING,
        conditions=[rules.REJECT],
        permission="verify_hazard",
    )
    def reject(self) -> None:
        """The verification failed: back to rectifying (the deadline keeps running)."""
        self.rectifying_since = timezone.now()
        self.rectification_round += 1
        self.submitted_on = self.submitted_at = None

    @transition(field=status, source=HazardStatus.CLOSED, target=HazardStatus.REPORTED, permission="verify_hazard")
    def reopen(self) -> None:
        """The hazard came back: it is accepted again with a new deadline."""
        self.closed_on = self.accepted_on = self.submitted_on = self.submitted_at = None
        self.rectifying_since = None
        self.due_on = self.due_workdays = None
        self.due_at = self.warn_at = self.escalate_at = None
        self.deadline_state = DeadlineState.PENDING
        self.deadline_provisional = False
        self.delisted_on = None
        self.listed_on = None


class HazardRecord(ScopedModel):
    """A row about one hazard, scoped through the hazard's area."""

    scope_area_field = "hazard__area"

    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        abstract = True


class RectificationPlan(HazardRecord):
    """The plan of a major hazard (五落实): responsibility, measures, funds, deadline, contingency
    plan — and the unit supervising it while it is listed (挂牌督办). Required before acceptance."""

    hazard = models.OneToOneField(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="plan")
    responsible_person = models.CharField(_("person responsible"), max_length=50, blank=True)
    responsible_unit = models.CharField(_("unit responsible"), max_length=100, blank=True)
    measures = models.TextField(_("measures"), blank=True)
    funds_yuan = models.DecimalField(_("funds (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    contingency_plan = models.TextField(_("contingency plan"), blank=True)
    supervising_unit = models.CharField(_("supervising unit"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} · {self.hazard}"

    def get_absolute_url(self) -> str:
        return self.hazard.get_absolute_url()


def evidence_upload_to(instance: RectificationEvidence, filename: str) -> str:
    return f"safety_hazards/evidence/{instance.hazard_id}/{filename}"


class RectificationEvidence(HazardRecord):
    """What the enterprise did (整改材料): a text and optionally a file (SHA-256 kept). Never edited."""

    audit_exclude = ("created_at", "updated_at", "file")  # see InspectionRecording

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="evidence")
    description = models.TextField(_("what was done"))
    round = models.PositiveSmallIntegerField(_("rectification round"), default=1, editable=False)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return self.hazard.get_absolute_url()


class Verification(HazardRecord):
    """An officer's verification of a submitted rectification (复核): passed or not, with notes."""

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="verifications")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    officer_name = models.CharField(_("officer's name"), max_length=50, blank=True)
    verified_on = models.DateField(_("verified on"))
    passed = models.BooleanField(_("passed"))
    round = models.PositiveSmallIntegerField(_("rectification round"), default=1, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.verified_on} · {_('passed') if self.passed else _('not passed')}"

    def get_absolute_url(self) -> str:
        return self.hazard.get_absolute_url()
