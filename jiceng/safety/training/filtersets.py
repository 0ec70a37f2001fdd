"""One FilterSet per model of safety training and publicity: list pages, API and exports."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.core.alerts.models import Severity
from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.safety.training.models import (
    Broadcast,
    BroadcastState,
    CampaignKind,
    CertificateCheck,
    CertificateKind,
    CertificateResult,
    Exam,
    PublicityActivity,
    PublicityTarget,
    PublicServiceAd,
    SpotTest,
    SpotTestResult,
    TrainingCampaign,
    TrainingKind,
    TrainingSession,
)


def _enterprise_filter() -> filters.NumberFilter:
    """By enterprise id (a number, not a list of every enterprise's name)."""
    return filters.NumberFilter(field_name="enterprise", label=_("enterprise"))


def _campaign_filter() -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(queryset=TrainingCampaign.objects.all(), label=_("training campaign"))


class TrainingCampaignFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    kind = filters.ChoiceFilter(choices=CampaignKind.choices, label=_("kind"))

    class Meta:
        model = TrainingCampaign
        fields = ["q", "kind"]


class TrainingSessionFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="topic", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    enterprise = _enterprise_filter()
    kind = filters.ChoiceFilter(choices=TrainingKind.choices, label=_("kind"))
    campaign = _campaign_filter()
    held_after = filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("held on or after"))
    held_before = filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("held on or before"))

    class Meta:
        model = TrainingSession
        fields = ["q", "area", "enterprise", "kind", "campaign", "held_after", "held_before"]


class ExamFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    enterprise = _enterprise_filter()
    campaign = _campaign_filter()
    held_after = filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("held on or after"))
    held_before = filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("held on or before"))

    class Meta:
        model = Exam
        fields = ["q", "area", "enterprise", "campaign", "held_after", "held_before"]


class SpotTestFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    enterprise = _enterprise_filter()
    campaign = _campaign_filter()
    tested_after = filters.DateFilter(field_name="tested_on", lookup_expr="gte", label=_("tested on or after"))
    tested_before = filters.DateFilter(field_name="tested_on", lookup_expr="lte", label=_("tested on or before"))

    class Meta:
        model = SpotTest
        fields = ["q", "area", "enterprise", "campaign", "tested_after", "tested_before"]


class SpotTestResultFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    spot_test = filters.NumberFilter(field_name="spot_test", label=_("spot test"))
    employee = filters.NumberFilter(field_name="employee", label=_("employee"))
    passed = filters.BooleanFilter(label=_("passed"))

    class Meta:
        model = SpotTestResult
        fields = ["area", "spot_test", "employee", "passed"]


class CertificateCheckFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    enterprise = _enterprise_filter()
    kind = filters.ChoiceFilter(choices=CertificateKind.choices, label=_("certificate kind"))
    result = filters.ChoiceFilter(choices=CertificateResult.choices, label=_("check result"))
    campaign = _campaign_filter()
    checked_after = filters.DateFilter(field_name="checked_on", lookup_expr="gte", label=_("checked on or after"))
    checked_before = filters.DateFilter(field_name="checked_on", lookup_expr="lte", label=_("checked on or before"))

    class Meta:
        model = CertificateCheck
        fields = ["q", "area", "enterprise", "kind", "result", "campaign", "checked_after", "checked_before"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(holder_name__icontains=value) | Q(certificate_number__icontains=value))


class PublicityActivityFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    enterprise = _enterprise_filter()
    target = filters.ChoiceFilter(choices=PublicityTarget.choices, label=_("target"))
    campaign = _campaign_filter()
    held_after = filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("held on or after"))
    held_before = filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("held on or before"))

    class Meta:
        model = PublicityActivity
        fields = ["q", "area", "target", "enterprise", "campaign", "held_after", "held_before"]


class BroadcastFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    state = filters.ChoiceFilter(choices=BroadcastState.choices, label=_("state"))
    severity = filters.ChoiceFilter(choices=Severity.choices, label=_("severity"))

    class Meta:
        model = Broadcast
        fields = ["q", "area", "state", "severity"]


class PublicServiceAdFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="text", lookup_expr="icontains", label=_("Search"))
    tag = filters.CharFilter(field_name="tags", lookup_expr="icontains", label=_("tag"))

    class Meta:
        model = PublicServiceAd
        fields = ["q", "tag"]
