"""Workflow models: the transition log of every object, and a generic supervised work item."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from jiceng.core.models import ScopedModel
from jiceng.core.scope import RestrictedManager
from jiceng.core.workflow.guards import GuardList


class TransitionLog(ScopedModel):
    """One state change of one object: who, when, from, to, comment and attached files.

    Append-only; ``area_path`` is the object's area at the time (scope of the log itself).
    """

    scope_area_field = None
    scope_path_field = "area_path"

    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.CASCADE)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    transition = models.CharField(_("transition"), max_length=64)
    source_state = models.CharField(_("from"), max_length=32)
    target_state = models.CharField(_("to"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_repr = models.CharField(_("actor"), max_length=150, blank=True)
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    comment = models.TextField(_("comment"), blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    area_path = models.CharField(_("area path"), max_length=255, db_index=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.object_repr}: {self.source_state} → {self.target_state}"

    def get_absolute_url(self) -> str:
        ct = self.content_type
        return reverse("workflow:history", args=[f"{ct.app_label}.{ct.model}", self.object_id])


class WorkItemState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


# Guards on submitting a work item; deployments add theirs (``WORKITEM_SUBMIT_GUARDS.add(...)``).
WORKITEM_SUBMIT_GUARDS = GuardList("workitem.submit")


class WorkItem(ConcurrentTransitionMixin, ScopedModel):
    """A generic supervised case (draft → submitted → approved/rejected) for matters without a module.

    ``required_documents`` is how many documents the case needs before submission (set by
    whoever opens it); ``documents`` counts those attached. Also the engine's test model.
    """

    scope_area_field = None
    scope_path_field = "area_path"
    audit_exclude = ("created_at", "updated_at")

    title = models.CharField(_("title"), max_length=200)
    area_path = models.CharField(_("area path"), max_length=255, db_index=True)
    state = FSMField(_("state"), default=WorkItemState.DRAFT, choices=WorkItemState.choices, protected=True)
    policy_key = models.CharField(_("policy"), max_length=120, blank=True)
    documents = models.PositiveIntegerField(_("documents"), default=0)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["-id"]
        permissions = [("approve_workitem", "Can approve work items")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workflow:history", args=["workflow.workitem", self.pk])

    @transition(
        field=state,
        source=WorkItemState.DRAFT,
        target=WorkItemState.SUBMITTED,
        conditions=[WORKITEM_SUBMIT_GUARDS],
        permission="change",
    )
    def submit(self) -> None:
        """Send the case for approval."""

    @transition(
        field=state, source=WorkItemState.SUBMITTED, target=WorkItemState.APPROVED, permission="approve_workitem"
    )
    def approve(self) -> None:
        """Approve the case."""

    @transition(
        field=state, source=WorkItemState.SUBMITTED, target=WorkItemState.REJECTED, permission="approve_workitem"
    )
    def reject(self) -> None:
        """Send the case back as rejected."""

    @transition(field=state, source=WorkItemState.REJECTED, target=WorkItemState.DRAFT, permission="change")
    def revise(self) -> None:
        """Reopen a rejected case as a draft."""
