"""Policy pages through the generic ``ModelViews``; writes go through the policy services."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.forms import BaseForm

from jiceng.core.policies import filtersets, forms, services, tables
from jiceng.core.policies.models import Policy
from jiceng.core.views import ModelViews


class PolicyViews(ModelViews):
    model = Policy
    url_plural = "policies"
    filterset = filtersets.PolicyFilterSet
    table = tables.PolicyTable
    form = forms.PolicyForm
    detail_fields = [
        "key",
        "name",
        "value_type",
        "value",
        "unit",
        "allowed_values",
        "area_code",
        "effective_from",
        "effective_to",
        "source_document",
        "source_article",
        "source_url",
        "source_status",
        "notes",
    ]

    @classmethod
    def create(cls, form: BaseForm, user: Any) -> models.Model:
        return services.do_create_policy(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: models.Model, form: BaseForm, user: Any) -> models.Model:
        return services.do_update_policy(obj, data=form.cleaned_data, acting_user=user)  # type: ignore[arg-type]

    @classmethod
    def delete(cls, obj: models.Model, user: Any) -> None:
        services.do_delete_policy(obj, acting_user=user)  # type: ignore[arg-type]
