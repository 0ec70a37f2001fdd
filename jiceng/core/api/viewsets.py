"""Base API classes: scoped querysets, writes through services, one FilterSet per model."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers, viewsets

from jiceng.core import services
from jiceng.core.api.fields import ScopedPrimaryKeyRelatedField
from jiceng.core.api.permissions import required_action


class ServiceModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose ``create``/``update`` go through the generic services.

    Apps with their own rules override ``perform_create``/``perform_update`` to call their
    ``do_*`` service instead. Foreign keys the serializer builds itself accept only objects
    the caller may view (an id outside the subtree reads as "does not exist").
    """

    serializer_related_field = ScopedPrimaryKeyRelatedField

    def _acting_user(self) -> Any:
        request = self.context.get("request")
        return getattr(request, "user", None)

    def perform_create(self, validated_data: dict[str, Any]) -> models.Model:
        return services.do_create(self.Meta.model, data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: models.Model, validated_data: dict[str, Any]) -> models.Model:
        return services.do_update(instance, data=validated_data, acting_user=self._acting_user())

    def create(self, validated_data: dict[str, Any]) -> models.Model:
        return self.perform_create(validated_data)

    def update(self, instance: models.Model, validated_data: dict[str, Any]) -> models.Model:
        return self.perform_update(instance, validated_data)


class ScopedModelViewSet(viewsets.ModelViewSet):
    """List/create/read/update/delete within the caller's area subtree (404 outside it)."""

    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        action = required_action(self.request, self)
        return self.queryset.restrict(self.request.user, action)  # type: ignore[union-attr]

    def perform_destroy(self, instance: models.Model) -> None:
        services.do_delete(instance, acting_user=self.request.user)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return self.queryset.restrict(self.request.user, "view")  # type: ignore[union-attr]


class ScopedGenericViewSet(viewsets.GenericViewSet):
    """The base for viewsets that pick their actions from DRF's mixins (e.g. records that are
    created and deleted but never edited): scoped queryset per action, deletes through the service."""

    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return self.queryset.restrict(self.request.user, required_action(self.request, self))  # type: ignore[union-attr]

    def perform_destroy(self, instance: models.Model) -> None:
        services.do_delete(instance, acting_user=self.request.user)


def model_viewset(
    model: type[models.Model],
    fields: list[str],
    *,
    create: Any = None,
    editable: bool = True,
    filter_fields: list[str] | None = None,
) -> type[viewsets.GenericViewSet]:
    """A scoped viewset for a plain registry model: ``fields`` (plus ``id``) in and out, creation
    through ``create(model, data=…, acting_user=…)`` (default the generic service). ``editable=False``
    gives create/list/read/delete only (records that are facts, never edited in place)."""
    from rest_framework import mixins

    def perform_create(self: Any, validated_data: dict[str, Any]) -> models.Model:
        if create is None:
            return services.do_create(model, data=validated_data, acting_user=self._acting_user())
        return create(model, data=validated_data, acting_user=self._acting_user())  # type: ignore[no-any-return]

    meta = type("Meta", (), {"model": model, "fields": ["id", *fields]})
    serializer = type(
        f"{model.__name__}Serializer", (ServiceModelSerializer,), {"Meta": meta, "perform_create": perform_create}
    )
    bases: tuple[type, ...] = (
        (ScopedModelViewSet,)
        if editable
        else (
            mixins.CreateModelMixin,
            mixins.ListModelMixin,
            mixins.RetrieveModelMixin,
            mixins.DestroyModelMixin,
            ScopedGenericViewSet,
        )
    )
    attrs = {
        "queryset": model._default_manager.all(),
        "serializer_class": serializer,
        "filterset_fields": filter_fields or [],
        "__doc__": str(model._meta.verbose_name_plural),
    }
    return type(f"{model.__name__}ViewSet", bases, attrs)
