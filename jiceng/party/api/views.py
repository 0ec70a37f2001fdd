"""Party organisation API: organisations (with set-up findings), posts, terms and coverage."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters as filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.fields import ScopedSlugRelatedField
from jiceng.core.api.viewsets import ScopedModelViewSet, ServiceModelSerializer
from jiceng.core.policies.services import PolicyMissing
from jiceng.directory.dashboard import scope_root
from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.directory.models import Area
from jiceng.party import services
from jiceng.party.checks import setup_findings
from jiceng.party.models import OrgLevel, OrgPosition, OrgTerm, PartyOrg
from jiceng.party.selectors import coverage


class OrgFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter()
    level = filters.ChoiceFilter(choices=OrgLevel.choices)

    class Meta:
        model = PartyOrg
        fields = ["area", "level", "kind", "parent"]


class OrgSerializer(ServiceModelSerializer):
    area = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.all())
    findings = serializers.SerializerMethodField()

    class Meta:
        model = PartyOrg
        fields = [
            "id",
            "name",
            "short_name",
            "level",
            "kind",
            "parent",
            "area",
            "host_unit",
            "host_enterprise",
            "covered_units",
            "covered_enterprises",
            "founded_on",
            "dissolved_on",
            "findings",
        ]

    def get_findings(self, org: PartyOrg) -> list[dict[str, Any]] | None:
        """The set-up findings (on the detail only; ``null`` in lists)."""
        view = self.context.get("view")
        if getattr(view, "action", "") == "list":
            return None
        return [reason.as_dict() for reason in setup_findings(org, on=timezone.localdate())]

    def perform_create(self, validated_data: dict[str, Any]) -> PartyOrg:
        return services.do_create_org(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> PartyOrg:
        return services.do_update_org(instance, data=validated_data, acting_user=self._acting_user())


class OrgViewSet(ScopedModelViewSet):
    queryset = PartyOrg.objects.select_related("area", "parent").prefetch_related(
        "covered_units", "covered_enterprises"
    )
    serializer_class = OrgSerializer
    filterset_class = OrgFilterSet


class PositionSerializer(ServiceModelSerializer):
    class Meta:
        model = OrgPosition
        fields = ["id", "org", "person", "role", "started_on", "ended_on", "from_management", "term"]
        read_only_fields = ["term"]

    def perform_create(self, validated_data: dict[str, Any]) -> OrgPosition:
        return services.do_create_position(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> OrgPosition:
        return services.do_update_position(instance, data=validated_data, acting_user=self._acting_user())


class PositionViewSet(ScopedModelViewSet):
    queryset = OrgPosition.objects.select_related("org", "person")
    serializer_class = PositionSerializer
    filterset_fields: ClassVar[list[str]] = ["org", "role", "person"]


class ElectedPositionSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    role = serializers.CharField()
    from_management = serializers.BooleanField(default=False)


class TermSerializer(ServiceModelSerializer):
    """POST records an election (``org``, ``elected_on``, ``positions`` [{person, role,
    from_management}], ``approved_on``, ``filed_on``); PATCH changes the approved delay/advance
    (``change_months`` with ``change_document``) and the approval/filing dates."""

    positions = ElectedPositionSerializer(many=True, write_only=True, required=False)
    status = serializers.SerializerMethodField()

    class Meta:
        model = OrgTerm
        fields = [
            "id",
            "org",
            "elected_on",
            "term_months",
            "term_policy_key",
            "change_months",
            "change_document",
            "change_approved_on",
            "expires_on",
            "approved_on",
            "filed_on",
            "notes",
            "positions",
            "status",
        ]
        read_only_fields = ["term_months", "term_policy_key", "expires_on"]

    def get_status(self, term: OrgTerm) -> str | None:
        """``current``, ``due`` or ``overdue`` today (``null`` when the reminder rule is missing)."""
        try:
            return services.term_status(term, on=timezone.localdate())[0]
        except PolicyMissing:
            return None

    def perform_create(self, validated_data: dict[str, Any]) -> OrgTerm:
        from jiceng.directory.models import Person

        user = self._acting_user()
        people = Person.objects.restrict(user, "view")
        positions = []
        for item in validated_data.get("positions", []):
            person = people.filter(pk=item["person"]).first()
            if person is None:
                raise serializers.ValidationError({"positions": [f"person {item['person']} does not exist"]})
            positions.append({**item, "person": person})
        return services.do_record_election(
            validated_data["org"],
            elected_on=validated_data["elected_on"],
            positions=positions,
            approved_on=validated_data.get("approved_on"),
            filed_on=validated_data.get("filed_on"),
            notes=validated_data.get("notes", ""),
            acting_user=user,
        )

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> OrgTerm:
        validated_data.pop("positions", None)
        return services.do_update_term(instance, data=validated_data, acting_user=self._acting_user())


class TermViewSet(ScopedModelViewSet):
    queryset = OrgTerm.objects.select_related("org__area")
    serializer_class = TermSerializer
    filterset_fields: ClassVar[list[str]] = ["org"]


class CoverageFiguresSerializer(serializers.Serializer):
    enterprises = serializers.IntegerField()
    own = serializers.IntegerField(help_text="enterprises with their own party organisation")
    covered = serializers.IntegerField(help_text="own organisation or covered by a joint branch")
    joint_only = serializers.IntegerField()
    coverage = serializers.CharField(allow_null=True, help_text="percentage, one decimal")
    secretaries = serializers.IntegerField(help_text="secretaries in post of enterprise-hosted organisations")
    from_management = serializers.IntegerField()
    management_share = serializers.CharField(allow_null=True, help_text="percentage, one decimal")


class CoverageChildSerializer(CoverageFiguresSerializer):
    area = serializers.CharField()
    name = serializers.CharField()


class CoverageSerializer(serializers.Serializer):
    area = serializers.CharField()
    name = serializers.CharField()
    on = serializers.DateField()
    totals = CoverageFiguresSerializer()
    children = CoverageChildSerializer(many=True)


class CoverageView(APIView):
    """Coverage of enterprises by party organisations under ``?area=<code>`` (default: the caller's
    top area), per child area; ``coverage`` and ``management_share`` are percentages."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("area", str, description="division code (inside the caller's scope)")],
        responses=CoverageSerializer,
    )
    def get(self, request: Request) -> Response:
        root = scope_root(request, "party.view_partyorg")  # type: ignore[arg-type]
        if root is None:
            raise PermissionDenied
        data = coverage(root, request.user, on=timezone.localdate())

        def plain(figures: dict[str, Any]) -> dict[str, Any]:
            return {
                k: (str(v) if v is not None and k in ("coverage", "management_share") else v)
                for k, v in figures.items()
            }

        return Response(
            {
                "area": root.code,
                "name": root.name,
                "on": data["on"].isoformat(),
                "totals": plain(data["totals"]),
                "children": [
                    {
                        "area": row["area"].code,
                        "name": row["area"].name,
                        **plain({k: v for k, v in row.items() if k != "area"}),
                    }
                    for row in data["rows"]
                ],
            }
        )
