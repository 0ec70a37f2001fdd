"""One Table per model, shared by the list page and the XLSX export."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import user_scope_paths
from jiceng.directory.models import Area, Enterprise, Grid, Person, Unit, mask_id_number


class AreaTable(tables.Table):
    name = tables.Column(linkify=True)
    parent = tables.Column(verbose_name=_("parent"))

    class Meta:
        model = Area
        fields = ("code", "name", "level", "kind", "parent", "valid_until")
        order_by = ("code",)


class UnitTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Unit
        fields = ("name", "kind", "area", "phone")


class PersonTable(tables.Table):
    name = tables.Column(linkify=True)
    id_number = tables.Column(verbose_name=_("resident ID number"))

    class Meta:
        model = Person
        fields = ("name", "id_number", "sex", "birth_date", "area", "phone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = getattr(request, "user", None)
        self.show_full_id = bool(user_scope_paths(user, "directory.view_id_number"))

    def render_id_number(self, value: str, record: Person) -> str:
        if self.show_full_id and self.request is not None:
            from jiceng.core.scope import user_can

            if user_can(self.request.user, record, "view_id_number"):
                return value
        return mask_id_number(value)

    def value_id_number(self, value: str, record: Person) -> str:
        return self.render_id_number(value, record)


class EnterpriseTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Enterprise
        fields = ("name", "credit_code", "sector", "scale", "is_key", "area")


class GridTable(tables.Table):
    name = tables.Column(linkify=True)
    grid_worker = tables.Column(verbose_name=_("grid worker"))

    class Meta:
        model = Grid
        fields = ("name", "code", "area", "grid_worker", "households")
