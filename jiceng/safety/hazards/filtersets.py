"""One FilterSet per model of the hazard ledger: list pages, API and exports."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.safety.hazards.choices import CampaignKind, HazardSeverity, HazardStatus, InspectionKind, RecordingKind
from jiceng.safety.hazards.models import (
    CampaignTarget,
    Hazard,
    Inspection,
    InspectionRecording,
    RectificationEvidence,
    RectificationPlan,
    SafetyCampaign,
    TargetGroup,
    Verification,
)
from jiceng.safety.hazards.selectors import overdue_q
from jiceng.safety.models import SafetySector


class SafetyCampaignFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    kind = filters.ChoiceFilter(choices=CampaignKind.choices, label=_("kind"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    year = filters.NumberFilter(field_name="starts_on", lookup_expr="year", label=_("year"))

    class Meta:
        model = SafetyCampaign
        fields = ["q", "kind", "area", "year"]


class TargetGroupFilterSet(filters.FilterSet):
    campaign = filters.NumberFilter(field_name="campaign", label=_("campaign"))

    class Meta:
        model = TargetGroup
        fields = ["campaign"]


class CampaignTargetFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    campaign = filters.NumberFilter(field_name="campaign", label=_("campaign"))
    group = filters.NumberFilter(field_name="group", label=_("target group"))
    enterprise = filters.NumberFilter(field_name="enterprise", label=_("enterprise (id)"))
    self_checked = filters.BooleanFilter(
        field_name="run__completed_at", lookup_expr="isnull", exclude=True, label=_("checklist complete")
    )

    class Meta:
        model = CampaignTarget
        fields = ["q", "area", "campaign", "group", "enterprise", "self_checked"]


class InspectionFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    kind = filters.ChoiceFilter(choices=InspectionKind.choices, label=_("kind"))
    campaign = filters.NumberFilter(field_name="campaign", label=_("campaign"))
    round = filters.NumberFilter(label=_("round"))
    enterprise = filters.NumberFilter(field_name="enterprise", label=_("enterprise (id)"))
    after = filters.DateFilter(field_name="inspected_on", lookup_expr="gte", label=_("inspected on or after"))
    before = filters.DateFilter(field_name="inspected_on", lookup_expr="lte", label=_("inspected on or before"))

    class Meta:
        model = Inspection
        fields = ["q", "area", "kind", "campaign", "round", "enterprise", "after", "before"]


class InspectionRecordingFilterSet(filters.FilterSet):
    inspection = filters.NumberFilter(field_name="inspection", label=_("inspection (id)"))
    kind = filters.ChoiceFilter(choices=RecordingKind.choices, label=_("kind"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = InspectionRecording
        fields = ["inspection", "kind", "area"]


class HazardFilterSet(filters.FilterSet):
    """``?severity=&status=&overdue=true&enterprise=&campaign=&area=`` (and more)."""

    q = filters.CharFilter(field_name="description", lookup_expr="icontains", label=_("Search"))
    severity = filters.ChoiceFilter(choices=HazardSeverity.choices, label=_("hazard level"))
    status = filters.ChoiceFilter(choices=HazardStatus.choices, label=_("status"))
    open = filters.BooleanFilter(method="filter_open", label=_("open"))
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    listed = filters.BooleanFilter(method="filter_listed", label=_("listed for supervision"))
    campaign = filters.NumberFilter(field_name="campaign", label=_("campaign"))
    enterprise = filters.NumberFilter(field_name="enterprise", label=_("enterprise (id)"))
    inspection = filters.NumberFilter(field_name="inspection", label=_("inspection (id)"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    sector = filters.ModelChoiceFilter(
        field_name="enterprise__safety_profile__sector",
        queryset=SafetySector.objects.all(),
        label=_("supervision sector"),
    )
    found_after = filters.DateFilter(field_name="found_on", lookup_expr="gte", label=_("found on or after"))
    found_before = filters.DateFilter(field_name="found_on", lookup_expr="lte", label=_("found on or before"))

    class Meta:
        model = Hazard
        fields = [
            "q",
            "severity",
            "status",
            "open",
            "overdue",
            "listed",
            "enterprise",
            "campaign",
            "inspection",
            "area",
            "sector",
            "found_after",
            "found_before",
        ]

    def filter_open(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        closed = qs.filter(status=HazardStatus.CLOSED)
        return qs.exclude(status=HazardStatus.CLOSED) if value else closed

    def filter_overdue(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        condition = overdue_q(timezone.localdate())
        return qs.filter(condition) if value else qs.exclude(condition)

    def filter_listed(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        listed = qs.filter(listed_on__isnull=False, delisted_on__isnull=True).exclude(status=HazardStatus.CLOSED)
        return listed if value else qs.exclude(pk__in=listed.values("pk"))


class RectificationPlanFilterSet(filters.FilterSet):
    hazard = filters.NumberFilter(field_name="hazard", label=_("hazard (id)"))

    class Meta:
        model = RectificationPlan
        fields = ["hazard"]


class RectificationEvidenceFilterSet(filters.FilterSet):
    hazard = filters.NumberFilter(field_name="hazard", label=_("hazard (id)"))

    class Meta:
        model = RectificationEvidence
        fields = ["hazard"]


class VerificationFilterSet(filters.FilterSet):
    hazard = filters.NumberFilter(field_name="hazard", label=_("hazard (id)"))

    class Meta:
        model = Verification
        fields = ["hazard", "passed"]
