"""Tables of the results pages (also the XLSX exports of the lists)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jiceng.finance.results.models import Finding, IdleFundWarning, MonitoringReport, PerformanceTarget, ReviewNote


class PerformanceTargetTable(tables.Table):
    indicator = tables.Column(linkify=True)
    project = tables.Column(linkify=False)
    department = tables.Column(accessor="project__unit__name", verbose_name=_("department"))

    class Meta:
        model = PerformanceTarget
        fields = ("indicator", "project", "department", "category", "target_value", "unit", "direction", "weight")


class FindingTable(tables.Table):
    text = tables.Column(linkify=True, verbose_name=_("finding"))
    project = tables.Column(linkify=False)
    measures = tables.Column(empty_values=(), orderable=False, verbose_name=_("measures"))

    class Meta:
        model = Finding
        fields = ("text", "kind", "project", "department", "issued_on", "due_on", "status", "measures")

    def render_text(self, value: Any) -> str:
        return value if len(value) <= 40 else f"{value[:40]}…"

    def render_measures(self, record: Finding) -> str:
        return "、".join(record.measure_labels())


class IdleFundWarningTable(tables.Table):
    project = tables.Column(linkify=lambda record: record.get_absolute_url())
    department = tables.Column(accessor="project__unit__name", verbose_name=_("department"))
    finding = tables.Column(empty_values=(), orderable=False, verbose_name=_("finding"))

    class Meta:
        model = IdleFundWarning
        fields = ("project", "department", "rule", "scanned_on", "finding")

    def render_finding(self, record: IdleFundWarning) -> str:
        found = getattr(record, "finding", None) if hasattr(record, "finding") else None
        return str(found.get_status_display()) if found is not None else "—"


class MonitoringReportTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = MonitoringReport
        fields = ("title", "area", "year", "period_end", "generated_at")


class ReviewNoteTable(tables.Table):
    text = tables.Column(linkify=True, verbose_name=_("note"))

    class Meta:
        model = ReviewNote
        fields = ("for_year", "department", "project", "recommendation", "amount", "text")

    def render_text(self, value: Any) -> str:
        return value if len(value) <= 40 else f"{value[:40]}…"
