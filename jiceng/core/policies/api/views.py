"""``/api/v1/policies/``: list, filter, resolve (``?area=<code>&on=YYYY-MM-DD``) and edit policies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend

from jiceng.core.api.viewsets import ScopedModelViewSet
from jiceng.core.errors import InvalidInput
from jiceng.core.policies import services
from jiceng.core.policies.api.serializers import PolicySerializer
from jiceng.core.policies.filtersets import PolicyFilterSet
from jiceng.core.policies.models import Policy


def area_path_for_code(code: str) -> str:
    """The materialised path of the Area with ``code``.

    Core may not import the directory app; this is the one unavoidable lookup, so it goes
    through ``apps.get_model`` by label.
    """
    area_model = apps.get_model("directory", "Area")
    path = area_model._base_manager.filter(code=code).values_list("path", flat=True).first()
    if path is None:
        raise InvalidInput(_("No area has the code “%(code)s”.") % {"code": code}, code="unknown_area", field="area")
    return str(path)


def parse_date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text}, code="invalid_date", field=field
        ) from exc


class PolicyViewSet(ScopedModelViewSet):
    """Policies with their sources.

    ``?key=`` filters by key (a prefix when it ends in “.”). ``?area=<code>`` and/or
    ``?on=YYYY-MM-DD`` switch to *resolution*: for each key, only the row in effect that day
    for the most specific of the area and its ancestors (what ``get_policy`` returns).
    """

    queryset = Policy.objects.all()
    serializer_class = PolicySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PolicyFilterSet

    def filter_queryset(self, queryset: Any) -> Any:
        queryset = super().filter_queryset(queryset)
        params = self.request.query_params
        if self.action != "list" or not ({"area", "on"} & set(params)):
            return queryset
        on = parse_date(params["on"], "on") if params.get("on") else timezone.localdate()
        code = params.get("area") or ""
        path = area_path_for_code(code) if code else ""
        chosen: dict[str, tuple[int, int]] = {}
        for row in queryset.applicable_to(path).in_effect(on).values("pk", "key", "area_path"):
            depth = len(row["area_path"])
            if row["key"] not in chosen or depth > chosen[row["key"]][0]:
                chosen[row["key"]] = (depth, row["pk"])
        return queryset.filter(pk__in=[pk for _, pk in chosen.values()])


__all__ = ["PolicyViewSet", "services"]
