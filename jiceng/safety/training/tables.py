"""Tables of safety training and publicity (list pages and XLSX exports)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jiceng.safety.training.models import (
    Broadcast,
    CertificateCheck,
    Exam,
    PublicityActivity,
    PublicServiceAd,
    SpotTest,
    SpotTestResult,
    TrainingCampaign,
    TrainingSession,
)


class RateColumn(tables.Column):
    """A percentage computed from the row (``None`` when there is no denominator)."""

    def __init__(self, accessor: str, **kwargs: Any) -> None:
        super().__init__(accessor=accessor, orderable=False, empty_values=(), **kwargs)

    def render(self, value: Any) -> str:
        return "—" if value is None else f"{value}%"

    def value(self, value: Any) -> Any:
        return "" if value is None else str(value)


class TrainingCampaignTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = TrainingCampaign
        fields = ("name", "kind", "starts_on", "ends_on")


class TrainingSessionTable(tables.Table):
    topic = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=False)

    class Meta:
        model = TrainingSession
        fields = ("held_on", "topic", "enterprise", "area", "kind", "trainer", "participants", "campaign")


class ExamTable(tables.Table):
    title = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=False)
    pass_rate = RateColumn("pass_rate", verbose_name=_("pass rate"))

    class Meta:
        model = Exam
        fields = ("held_on", "title", "enterprise", "area", "candidates", "passed", "pass_rate", "campaign")


class SpotTestTable(tables.Table):
    tested_on = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=False)
    pass_rate = RateColumn("pass_rate", verbose_name=_("pass rate"))

    class Meta:
        model = SpotTest
        fields = (
            "tested_on",
            "enterprise",
            "area",
            "officer",
            "tested",
            "passed",
            "pass_rate",
            "pass_mark",
            "campaign",
        )


class SpotTestResultTable(tables.Table):
    employee = tables.Column(linkify=False)
    score = tables.Column(linkify=True)

    class Meta:
        model = SpotTestResult
        fields = ("spot_test", "employee", "score", "passed")


class CertificateCheckTable(tables.Table):
    holder_name = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=False)

    class Meta:
        model = CertificateCheck
        fields = (
            "checked_on",
            "holder_name",
            "kind",
            "certificate_number",
            "issuing_authority",
            "valid_until",
            "result",
            "enterprise",
        )


class PublicityActivityTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = PublicityActivity
        fields = ("held_on", "target", "title", "area", "venue", "participants", "campaign")


class BroadcastTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = Broadcast
        fields = ("title", "area", "severity", "state", "starts_at", "ends_at")


class PublicServiceAdTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = PublicServiceAd
        fields = ("title", "text", "tags", "source")
