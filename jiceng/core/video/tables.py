from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jiceng.core.video.models import Camera, Detection, Snapshot


class CameraTable(tables.Table):
    name = tables.Column(linkify=True)
    subject_repr = tables.Column(verbose_name=_("subject"))
    health = tables.Column(verbose_name=_("status"), accessor="pk", orderable=False)

    class Meta:
        model = Camera
        fields = ("name", "location", "subject_repr", "is_active", "health", "last_success_at", "next_capture_at")

    def render_health(self, record: Camera) -> str:
        if not record.is_active:
            return format_html('<span class="tag">{}</span>', _("inactive"))
        if record.failing_since:
            return format_html('<span class="tag severity-yellow">{}</span>', _("no frame"))
        if record.last_success_at is None:
            return format_html('<span class="tag">{}</span>', _("not captured yet"))
        return format_html('<span class="tag severity-blue">{}</span>', _("working"))


class DetectionTable(tables.Table):
    discovered_at = tables.Column(linkify=True)
    camera = tables.Column(accessor="camera__name", verbose_name=_("camera"), order_by=("camera__name",))
    severity = tables.Column()
    state = tables.Column(verbose_name=_("state"), accessor="handled_at", orderable=False)

    class Meta:
        model = Detection
        fields = ("discovered_at", "camera", "detector_label", "severity", "value", "threshold", "warned_at", "state")

    def render_severity(self, record: Detection) -> str:
        return format_html('<span class="tag severity-{}">{}</span>', record.severity, record.get_severity_display())

    def render_state(self, record: Detection) -> str:
        if record.handled_at:
            return format_html('<span class="tag severity-blue">{}</span>', _("handled"))
        return format_html('<span class="tag severity-orange">{}</span>', _("not handled"))


class SnapshotTable(tables.Table):
    captured_at = tables.Column(linkify=True)
    camera = tables.Column(accessor="camera__name", verbose_name=_("camera"), order_by=("camera__name",))
    sha256 = tables.Column(verbose_name=_("SHA-256"))

    class Meta:
        model = Snapshot
        fields = ("captured_at", "camera", "is_evidence", "size_bytes", "sha256")

    def render_sha256(self, value: str) -> str:
        return format_html("<code>{}…</code>", value[:16])
