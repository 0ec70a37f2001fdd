"""API of the registries: one scoped viewset per registry (writes through the registry rules)."""

from __future__ import annotations

from typing import Any

from django.db import models

from jiceng.core.api.viewsets import ScopedModelViewSet, ServiceModelSerializer
from jiceng.party.registries import services
from jiceng.party.registries.views import REGISTRIES


def viewset(model: type[Any], fields: list[str]) -> type[ScopedModelViewSet]:
    class Serializer(ServiceModelSerializer):
        class Meta:
            pass

        def perform_create(self, validated_data: dict[str, Any]) -> models.Model:
            return services.do_create(model, data=validated_data, acting_user=self._acting_user())

    Serializer.Meta.model = model  # type: ignore[attr-defined]
    Serializer.Meta.fields = ["id", *fields]  # type: ignore[attr-defined]
    Serializer.__name__ = f"{model.__name__}Serializer"

    class ViewSet(ScopedModelViewSet):
        queryset = model.objects.all()
        serializer_class = Serializer

    ViewSet.__name__ = f"{model.__name__}ViewSet"
    ViewSet.__doc__ = str(model._meta.verbose_name_plural)
    return ViewSet


VIEWSETS = {slug: viewset(model, fields) for model, slug, _columns, fields in REGISTRIES}
