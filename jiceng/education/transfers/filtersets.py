"""The FilterSet of transfers: list page, API and exports."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.education.transfers.choices import TransferState
from jiceng.education.transfers.models import Transfer


class TransferFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    status = filters.ChoiceFilter(choices=TransferState.choices, label=_("status"))
    # ids, not choice lists: a <select> of every school or student would be long
    school = filters.NumberFilter(field_name="to_school_id", label=_("receiving school (id)"))
    from_school = filters.NumberFilter(field_name="from_school_id", label=_("from school (id)"))
    student = filters.NumberFilter(field_name="student_id", label=_("student (id)"))
    year = filters.NumberFilter(field_name="to_class__year", label=_("school year"))
    on_after = filters.DateFilter(field_name="on", lookup_expr="gte", label=_("transfer date from"))
    on_before = filters.DateFilter(field_name="on", lookup_expr="lte", label=_("transfer date until"))

    class Meta:
        model = Transfer
        fields = ["q", "area", "status", "school", "from_school", "student", "year", "on_after", "on_before"]

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(student__person__name__icontains=value)
            | Q(student__student_number__icontains=value)
            | Q(to_school__name__icontains=value)
        )
