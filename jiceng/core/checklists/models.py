"""Checklists and campaigns: numbered standards (六个一, 七有, 六净 …) assigned to subjects with a due date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import ScopedModel, SubjectReference


class EvidenceKind(models.TextChoices):
    NONE = "none", _("none")
    PHOTO = "photo", _("photo")
    DOCUMENT = "document", _("document")
    RECORD = "record", _("record")


class ChecklistTemplate(models.Model):
    key = models.CharField(_("key"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=40, blank=True)
    source_document = models.CharField(_("source document"), max_length=255, blank=True)
    wording = models.CharField(_("wording"), max_length=16, default="exact", help_text=_("exact or paraphrase"))

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    text = models.CharField(_("item"), max_length=300)
    evidence = models.CharField(
        _("evidence required"), max_length=16, choices=EvidenceKind.choices, default=EvidenceKind.NONE
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="checklist_item_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


class Campaign(ScopedModel):
    """A template assigned to a set of subjects in an area for a period, due on a date."""

    scope_path_field = "area_path"

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    area_path = models.CharField(_("area path"), max_length=255, db_index=True)
    period = models.CharField(_("period"), max_length=20)
    due_on = models.DateField(_("due on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-due_on", "name"]

    def __str__(self) -> str:
        return self.name


class ChecklistRun(SubjectReference, ScopedModel):
    """One subject's checklist within a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="runs")
    due_on = models.DateField(_("due on"), db_index=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist run")
        verbose_name_plural = _("checklist runs")
        ordering = ["due_on", "subject_repr"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "content_type", "object_id"], name="run_unique_subject")
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=models.Q(completed_at__isnull=True), name="run_open_due_idx")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.subject_repr}"


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DONE = "done", _("done")
    NOT_DONE = "not_done", _("not done")
    NOT_APPLICABLE = "na", _("not applicable")


class ItemResult(models.Model):
    run = models.ForeignKey(ChecklistRun, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    evidence_note = models.TextField(_("evidence"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("item result")
        verbose_name_plural = _("item results")
        ordering = ["run", "item__order"]
        constraints = [models.UniqueConstraint(fields=["run", "item"], name="item_result_unique")]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_status_display()}"


class SupervisionVisit(models.Model):
    """A supervisor's visit recording findings against items (督导)."""

    run = models.ForeignKey(ChecklistRun, on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    findings = models.JSONField(_("findings"), default=dict, help_text=_("item code → finding"))

    class Meta:
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.run} {self.visited_on}"
