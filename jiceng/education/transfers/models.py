"""Transfers (插班生/转学, catalogue E08): the receiving school applies, the bureau decides.

A ``Transfer`` is one application of a receiving school to take a student into one of its classes
from a requested date (``on``). The receiving school applies (``applied``); the education bureau
approves it (the move is made at once: the old enrollment ends on ``on`` and one in ``to_class``
opens the same day) or rejects it with the rules it breaks recorded; the school may withdraw it
while it waits. Its area is the receiving school's: the application belongs to the side that
applies. The rules (class-size cap, window, graduating year, registration, approver level) are in
``rules``; see docs/modules/education-transfers.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from jiceng.core.models import AreaFromMixin, ScopedModel
from jiceng.education.transfers import rules
from jiceng.education.transfers.choices import TransferState


class Transfer(ConcurrentTransitionMixin, AreaFromMixin, ScopedModel):
    """One transfer application (插班/转学申请) of a receiving school for one student."""

    area_from = "to_school"

    student = models.ForeignKey(
        "education.Student", verbose_name=_("student"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_enrollment = models.ForeignKey(
        "education.Enrollment",
        verbose_name=_("registration when applied"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
        editable=False,
        help_text=_("The open enrollment when the school applied (empty: a new registration)."),
    )
    from_school = models.ForeignKey(
        "education.School",
        verbose_name=_("from school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
        editable=False,
    )
    to_class = models.ForeignKey(
        "education.SchoolClass", verbose_name=_("into class"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    to_school = models.ForeignKey(
        "education.School",
        verbose_name=_("receiving school"),
        on_delete=models.PROTECT,
        related_name="transfers_in",
        editable=False,
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="education_transfers",
        editable=False,
    )
    on = models.DateField(_("transfer date"), help_text=_("The day the student would join the class."))
    applied_on = models.DateField(_("applied on"), editable=False)
    # Not ``protected``: the generic services validate every field and the demo writes decided
    # applications in their final state; after creation only the transitions change it.
    status = FSMField(_("status"), max_length=12, choices=TransferState.choices, default=TransferState.APPLIED)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_note = models.TextField(_("decision note"), blank=True, editable=False)
    refusal_reasons = models.JSONField(
        _("refusal reasons"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("The rules the application broke when it was rejected (rule, numbers, source)."),
    )
    handover_due_on = models.DateField(
        _("registration handover due"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The workday by which both schools and both bureaus complete the registration handover (学籍转接)."
        ),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-applied_on", "-id"]
        permissions = [("approve_transfer", _("Can approve or reject transfers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["student"], condition=Q(status=TransferState.APPLIED), name="education_transfer_one_pending"
            ),
        ]
        indexes = [models.Index(fields=["to_class", "status"], name="education_transfer_class")]

    def __str__(self) -> str:
        label = f"#{self.pk}" if self.pk else ""
        return f"{_('Transfer')} {label} · {self.student} → {self.to_class}".replace("  ", " ")

    @property
    def is_pending(self) -> bool:
        return self.status == TransferState.APPLIED

    # --- the workflow (run through jiceng.education.transfers.services) ----------------------
    def _decide(self, user: Any, note: str) -> None:
        self.decided_by = user if getattr(user, "is_authenticated", False) else None
        self.decided_at = timezone.now()
        self.decision_note = note

    @transition(
        field=status,
        source=TransferState.APPLIED,
        target=TransferState.APPROVED,
        conditions=[rules.APPROVE],
        permission="approve_transfer",
    )
    def approve(self, user: Any = None, note: str = "", handover_due_on: dt.date | None = None) -> None:
        self._decide(user, note)
        self.handover_due_on = handover_due_on

    @transition(
        field=status, source=TransferState.APPLIED, target=TransferState.REJECTED, permission="approve_transfer"
    )
    def reject(self, user: Any = None, note: str = "", reasons: list[dict[str, Any]] | None = None) -> None:
        self._decide(user, note)
        self.refusal_reasons = list(reasons or [])

    @transition(field=status, source=TransferState.APPLIED, target=TransferState.WITHDRAWN, permission="change")
    def withdraw(self, user: Any = None, note: str = "") -> None:
        self._decide(user, note)
