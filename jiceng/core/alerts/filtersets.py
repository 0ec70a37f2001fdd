from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.core.alerts.models import Alert, AlertState, Severity


class AlertFilterSet(django_filters.FilterSet):
    """One filter set for the alert list page, the API and the export."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    rule = django_filters.CharFilter(lookup_expr="startswith", label=_("rule"))
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, label=_("severity"))
    state = django_filters.MultipleChoiceFilter(choices=AlertState.choices, label=_("state"))
    area = django_filters.CharFilter(method="filter_area", label=_("area code"))

    class Meta:
        model = Alert
        fields = ["q", "rule", "severity", "state", "area"]

    def filter_q(self, qs: QuerySet[Alert], name: str, value: str) -> QuerySet[Alert]:
        return qs.filter(Q(subject_repr__icontains=value) | Q(explanation__icontains=value))

    def filter_area(self, qs: QuerySet[Alert], name: str, value: str) -> QuerySet[Alert]:
        """Alerts raised in the subtree of the Area with this 12-digit code (escalated ones included)."""
        return qs.filter(origin_area_path__contains=f"{value.strip()}/")
