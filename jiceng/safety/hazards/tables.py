"""Tables of the hazard pages (also the XLSX exports)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.safety.hazards.models import CampaignTarget, Hazard, Inspection, InspectionRecording, SafetyCampaign


class SafetyCampaignTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = SafetyCampaign
        fields = ("name", "kind", "area", "organiser", "starts_on", "ends_on", "rounds")


class CampaignTargetTable(tables.Table):
    enterprise = tables.Column(linkify=lambda record: record.get_absolute_url())
    checklist_complete = tables.BooleanColumn(
        accessor="run__completed_at", verbose_name=_("checklist complete"), orderable=False
    )

    class Meta:
        model = CampaignTarget
        fields = ("enterprise", "area", "campaign", "group", "checklist_complete")

    def render_checklist_complete(self, value: Any) -> str:
        return str(_("yes")) if value else str(_("no"))


class InspectionTable(tables.Table):
    inspected_on = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=False)

    class Meta:
        model = Inspection
        fields = ("inspected_on", "enterprise", "area", "kind", "campaign", "round", "officers")


class InspectionRecordingTable(tables.Table):
    original_name = tables.Column(linkify=True)
    inspection = tables.Column(linkify=False)

    class Meta:
        model = InspectionRecording
        fields = ("original_name", "kind", "inspection", "recorded_at", "recorded_by", "size_bytes", "sha256")


class HazardTable(tables.Table):
    description = tables.Column(linkify=True, attrs={"td": {"class": "wrap"}})
    enterprise = tables.Column(linkify=False)
    overdue = tables.Column(empty_values=(), verbose_name=_("overdue"), orderable=False)

    class Meta:
        model = Hazard
        fields = (
            "description",
            "severity",
            "status",
            "enterprise",
            "area",
            "campaign",
            "found_on",
            "due_on",
            "overdue",
        )

    def render_overdue(self, record: Hazard) -> str:
        return str(_("overdue")) if record.is_overdue(timezone.localdate()) else ""
