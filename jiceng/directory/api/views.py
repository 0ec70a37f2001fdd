from __future__ import annotations

from jiceng.core.api.viewsets import ScopedModelViewSet
from jiceng.directory import filtersets
from jiceng.directory.api import serializers
from jiceng.directory.models import Area, Enterprise, Grid, Person, Unit


class AreaViewSet(ScopedModelViewSet):
    queryset = Area.objects.select_related("parent", "successor")
    serializer_class = serializers.AreaSerializer
    filterset_class = filtersets.AreaFilterSet
    lookup_field = "code"
    lookup_value_regex = "[0-9]{12}"


class UnitViewSet(ScopedModelViewSet):
    queryset = Unit.objects.select_related("area")
    serializer_class = serializers.UnitSerializer
    filterset_class = filtersets.UnitFilterSet


class PersonViewSet(ScopedModelViewSet):
    queryset = Person.objects.select_related("area")
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet


class EnterpriseViewSet(ScopedModelViewSet):
    queryset = Enterprise.objects.select_related("area")
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = filtersets.EnterpriseFilterSet


class GridViewSet(ScopedModelViewSet):
    queryset = Grid.objects.select_related("area")
    serializer_class = serializers.GridSerializer
    filterset_class = filtersets.GridFilterSet
