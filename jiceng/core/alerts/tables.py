from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jiceng.core.alerts.models import Alert


class AlertTable(tables.Table):
    severity = tables.Column(order_by=("severity_rank",))
    subject_repr = tables.Column(linkify=True, verbose_name=_("subject"))
    area_code = tables.Column(verbose_name=_("area code"), accessor="area_code", orderable=False)

    class Meta:
        model = Alert
        fields = (
            "severity",
            "rule",
            "subject_repr",
            "explanation",
            "state",
            "area_code",
            "raised_at",
            "escalation_level",
            "assignee",
        )

    def render_explanation(self, value: str) -> str:
        return value if len(value) <= 80 else value[:79] + "…"

    def render_severity(self, record: Alert) -> str:
        return format_html('<span class="tag severity-{}">{}</span>', record.severity, record.get_severity_display())
