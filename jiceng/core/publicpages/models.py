"""Public pages (no login) under unguessable tokens, their scans and the public's feedback."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import ScopedModel


class PublicPage(ScopedModel):
    """One object published to the public: ``/p/<token>/`` and its QR code."""

    scope_path_field = "area_path"

    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(_("object id"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=200)
    area_path = models.CharField(_("area path"), max_length=255, db_index=True)
    is_active = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scan_count = models.PositiveIntegerField(_("scans"), default=0)

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.title

    def get_public_url(self) -> str:
        from django.urls import reverse

        return reverse("public:page", args=[self.token])


class PageScan(models.Model):
    """One visit of a public page: time and coarse client information only."""

    page = models.ForeignKey(PublicPage, on_delete=models.CASCADE, related_name="scans")
    scanned_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    agent_family = models.CharField(_("client"), max_length=32)
    network = models.CharField(
        _("network"), max_length=64, help_text=_("IPv4 /24 or IPv6 /48 prefix, never the full address")
    )

    class Meta:
        verbose_name = _("page scan")
        verbose_name_plural = _("page scans")
        ordering = ["-scanned_at"]

    def __str__(self) -> str:
        return f"{self.scanned_at:%Y-%m-%d %H:%M} {self.agent_family}"


class PublicFeedback(models.Model):
    """A message left by a member of the public on a public page."""

    page = models.ForeignKey(PublicPage, on_delete=models.CASCADE, related_name="feedback")
    submitted_at = models.DateTimeField(_("time"), auto_now_add=True)
    message = models.TextField(_("message"), max_length=1000)
    contact = models.CharField(_("contact (optional)"), max_length=100, blank=True)
    network = models.CharField(_("network"), max_length=64)

    class Meta:
        verbose_name = _("public feedback")
        verbose_name_plural = _("public feedback")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.message[:40]
