"""Scope for filter forms: a choice list of related objects shows only what the user may view.

django-filter builds a ``ModelChoiceFilter`` for every foreign key a FilterSet names, with the
related model's *whole* table as its choices — a township user's filter dropdown would list another
township's sources or organisations. ``restrict_filter_choices`` narrows each such choice list with
``restrict(user, "view")``; the generic list pages and the API's filter backend call it for every
FilterSet, so no module has to remember it.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django_filters.rest_framework import DjangoFilterBackend


def restrict_filter_choices(filterset: django_filters.FilterSet, user: Any) -> django_filters.FilterSet:
    for flt in filterset.filters.values():
        if not isinstance(flt, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
            continue
        queryset = getattr(flt, "queryset", None)
        if queryset is None or callable(queryset) or not hasattr(queryset, "restrict"):
            continue
        flt.queryset = queryset.restrict(user, "view")
        flt.extra["queryset"] = flt.queryset
        flt.__dict__.pop("_field", None)  # a field built before would keep the whole table
    return filterset


class ScopedFilterBackend(DjangoFilterBackend):
    """``DjangoFilterBackend`` whose choice filters accept only objects the caller may view."""

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            restrict_filter_choices(filterset, request.user)
        return filterset
