"""Directory pages: each model's list/detail/edit/delete/history comes from ``core.views.ModelViews``."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.forms import BaseForm

from jiceng.core.scope import user_can
from jiceng.core.views import ModelViews
from jiceng.directory import filtersets, forms, services, tables
from jiceng.directory.models import Area, Enterprise, Grid, Person, Unit, mask_id_number


class AreaViews(ModelViews):
    model = Area
    filterset = filtersets.AreaFilterSet
    table = tables.AreaTable
    form = forms.AreaForm
    select_related = ["parent", "successor"]
    detail_fields = ["code", "name", "level", "kind", "parent", "valid_from", "valid_until", "successor"]

    @classmethod
    def update(cls, obj: models.Model, form: BaseForm, user: Any) -> models.Model:
        return services.do_update_area(obj, data=form.cleaned_data, acting_user=user)  # type: ignore[arg-type]


class UnitViews(ModelViews):
    model = Unit
    filterset = filtersets.UnitFilterSet
    table = tables.UnitTable
    form = forms.UnitForm
    select_related = ["area"]
    detail_fields = ["name", "short_name", "kind", "area", "parent", "phone", "address"]


class PersonViews(ModelViews):
    model = Person
    filterset = filtersets.PersonFilterSet
    table = tables.PersonTable
    form = forms.PersonForm
    select_related = ["area"]
    detail_fields = ["name", "id_number", "sex", "birth_date", "area", "phone", "address", "is_demo"]

    @classmethod
    def detail_rows(cls, obj: models.Model, user: Any) -> list[tuple[str, Any]]:
        rows = super().detail_rows(obj, user)
        if not user_can(user, obj, "view_id_number"):
            label = str(Person._meta.get_field("id_number").verbose_name)
            rows = [(k, obj.masked_id_number if k == label else v) for k, v in rows]  # type: ignore[attr-defined]
        return rows

    @classmethod
    def history_changes(cls, entry: Any, obj: models.Model, user: Any) -> list[tuple[str, Any, Any]]:
        rows = super().history_changes(entry, obj, user)
        if user_can(user, obj, "view_id_number"):
            return rows
        return [
            (f, mask_id_number(b) if b else b, mask_id_number(a) if a else a) if f == "id_number" else (f, b, a)
            for f, b, a in rows
        ]


class EnterpriseViews(ModelViews):
    model = Enterprise
    filterset = filtersets.EnterpriseFilterSet
    table = tables.EnterpriseTable
    form = forms.EnterpriseForm
    select_related = ["area"]
    detail_fields = [
        "name",
        "credit_code",
        "sector",
        "scale",
        "legal_representative",
        "phone",
        "address",
        "area",
        "is_key",
        "is_demo",
    ]


class GridViews(ModelViews):
    model = Grid
    filterset = filtersets.GridFilterSet
    table = tables.GridTable
    form = forms.GridForm
    select_related = ["area", "grid_worker"]
    detail_fields = ["name", "code", "area", "grid_worker", "households"]
