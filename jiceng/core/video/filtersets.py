"""One filter set per model: the list pages, the API and the exports."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.core.video.models import Camera, Detection, Snapshot


def _area(qs: QuerySet, value: str) -> QuerySet:
    return qs.filter(area_path__contains=f"{value.strip()}/")


class CameraFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    is_active = django_filters.BooleanFilter(label=_("active"))
    area = django_filters.CharFilter(method="filter_area", label=_("area code"))
    is_failing = django_filters.BooleanFilter(
        field_name="failing_since", lookup_expr="isnull", exclude=True, label=_("failing")
    )

    class Meta:
        model = Camera
        fields = ["q", "is_active", "area", "is_failing"]

    def filter_q(self, qs: QuerySet[Camera], name: str, value: str) -> QuerySet[Camera]:
        return qs.filter(Q(name__icontains=value) | Q(location__icontains=value) | Q(subject_repr__icontains=value))

    def filter_area(self, qs: QuerySet[Camera], name: str, value: str) -> QuerySet[Camera]:
        return _area(qs, value)


class DetectionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    camera = django_filters.NumberFilter(field_name="camera_id", label=_("camera"))
    detector = django_filters.CharFilter(label=_("detector"))
    handled = django_filters.BooleanFilter(
        field_name="handled_at", lookup_expr="isnull", exclude=True, label=_("handled")
    )
    discovered_after = django_filters.DateFilter(
        field_name="discovered_at", lookup_expr="date__gte", label=_("discovered on or after")
    )
    discovered_before = django_filters.DateFilter(
        field_name="discovered_at", lookup_expr="date__lte", label=_("discovered on or before")
    )
    area = django_filters.CharFilter(method="filter_area", label=_("area code"))

    class Meta:
        model = Detection
        fields = ["q", "camera", "detector", "handled", "discovered_after", "discovered_before", "area"]

    def filter_q(self, qs: QuerySet[Detection], name: str, value: str) -> QuerySet[Detection]:
        return qs.filter(Q(message__icontains=value) | Q(camera__name__icontains=value))

    def filter_area(self, qs: QuerySet[Detection], name: str, value: str) -> QuerySet[Detection]:
        return _area(qs, value)


class SnapshotFilterSet(django_filters.FilterSet):
    camera = django_filters.NumberFilter(field_name="camera_id", label=_("camera"))
    is_evidence = django_filters.BooleanFilter(label=_("evidence"))
    captured_after = django_filters.DateFilter(
        field_name="captured_at", lookup_expr="date__gte", label=_("captured on or after")
    )
    captured_before = django_filters.DateFilter(
        field_name="captured_at", lookup_expr="date__lte", label=_("captured on or before")
    )
    sha256 = django_filters.CharFilter(lookup_expr="startswith", label=_("SHA-256"))

    class Meta:
        model = Snapshot
        fields = ["camera", "is_evidence", "captured_after", "captured_before", "sha256"]
