"""One FilterSet per monitoring model: list pages, API and exports."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.safety.monitoring.models import (
    OPEN_ALARM_STATES,
    AccountablePerson,
    AccountableRole,
    Alarm,
    AlarmLevel,
    AlarmState,
    Gateway,
    HazardousSubstance,
    MajorHazardSource,
    Sensor,
    SensorKind,
    SourceCheck,
    SourceKind,
    SourceSubstance,
    SubstanceCategory,
    WatcherShift,
)


class HazardousSubstanceFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    category = filters.ChoiceFilter(choices=SubstanceCategory.choices, label=_("category"))
    cas_number = filters.CharFilter(label=_("CAS number"))

    class Meta:
        model = HazardousSubstance
        fields = ["q", "category", "cas_number"]


class MajorHazardSourceFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    grade = filters.NumberFilter(label=_("grade"))
    kind = filters.ChoiceFilter(choices=SourceKind.choices, label=_("kind"))

    class Meta:
        model = MajorHazardSource
        fields = ["q", "area", "enterprise", "grade", "kind"]


class SourceSubstanceFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = SourceSubstance
        fields = ["area", "source", "substance"]


class GatewayFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="code", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = Gateway
        fields = ["q", "area", "enterprise"]


class SensorFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="code", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    kind = filters.ChoiceFilter(choices=SensorKind.choices, label=_("kind"))
    code = filters.CharFilter(label=_("code"))
    offline = filters.BooleanFilter(field_name="state__offline", label=_("offline"))

    class Meta:
        model = Sensor
        fields = ["q", "area", "source", "kind", "code", "is_active", "offline"]


class OpenFilter(filters.BooleanFilter):
    def filter(self, qs: QuerySet[Any], value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(state__in=OPEN_ALARM_STATES) if value else qs.exclude(state__in=OPEN_ALARM_STATES)


class AlarmFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    sensor = filters.CharFilter(field_name="sensor__code", label=_("sensor (code)"))
    level = filters.ChoiceFilter(choices=AlarmLevel.choices, label=_("level"))
    state = filters.ChoiceFilter(choices=AlarmState.choices, label=_("state"))
    open = OpenFilter(label=_("open"))
    raised_after = filters.IsoDateTimeFilter(field_name="raised_at", lookup_expr="gte", label=_("raised after"))

    class Meta:
        model = Alarm
        fields = ["area", "sensor", "source", "level", "state", "open", "raised_after"]


class AccountablePersonFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    role = filters.ChoiceFilter(choices=AccountableRole.choices, label=_("role"))
    current = filters.BooleanFilter(field_name="until", lookup_expr="isnull", label=_("current"))

    class Meta:
        model = AccountablePerson
        fields = ["area", "source", "role", "current"]


class SourceCheckFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    role = filters.ChoiceFilter(choices=AccountableRole.choices, label=_("role"))

    class Meta:
        model = SourceCheck
        fields = ["area", "source", "role"]


class WatcherShiftFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = WatcherShift
        fields = ["area", "source", "watcher"]
