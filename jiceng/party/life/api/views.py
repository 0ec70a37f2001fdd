"""API of organisational life: meetings with attendance, and compliance per organisation and period."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.fields import ScopedPrimaryKeyRelatedField
from jiceng.core.api.viewsets import ScopedModelViewSet, ServiceModelSerializer
from jiceng.core.errors import InvalidInput
from jiceng.core.selectors import access_object
from jiceng.party.life import services
from jiceng.party.life.compliance import attendance_rate, compliance, parse_period
from jiceng.party.life.models import Attendance, Meeting
from jiceng.party.members.models import PartyMember
from jiceng.party.models import PartyOrg


class AttendanceSerializer(serializers.ModelSerializer):
    member = ScopedPrimaryKeyRelatedField(queryset=PartyMember.objects.all())
    name = serializers.CharField(source="member.person.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["member", "name", "status", "absence_reason", "made_up_on"]


class MeetingSerializer(ServiceModelSerializer):
    attendance = AttendanceSerializer(many=True, required=False)
    attended = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "org",
            "kind",
            "held_on",
            "topic",
            "hours",
            "location",
            "speaker",
            "minutes",
            "attachments",
            "template_items_done",
            "attendance",
            "attended",
        ]

    def get_attended(self, obj: Meeting) -> int:
        return sum(1 for a in obj.attendance.all() if a.attended)

    def perform_create(self, validated_data: dict[str, Any]) -> models.Model:
        rows = validated_data.pop("attendance", [])
        return services.do_record_meeting(data=validated_data, attendance=rows, acting_user=self._acting_user())

    def perform_update(self, instance: models.Model, validated_data: dict[str, Any]) -> models.Model:
        rows = validated_data.pop("attendance", None)
        meeting = super().perform_update(instance, validated_data)
        if rows is not None:
            services.do_set_attendance(meeting, rows, acting_user=self._acting_user())  # type: ignore[arg-type]
        return meeting


class MeetingViewSet(ScopedModelViewSet):
    """Meetings (三会一课, 主题党日, 组织生活会 …) with their attendance."""

    queryset = Meeting.objects.select_related("org").prefetch_related("attendance__member__person")
    serializer_class = MeetingSerializer
    filterset_fields: ClassVar[list[str]] = ["org", "kind", "held_on"]


class KindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    required = serializers.IntegerField()
    held = serializers.IntegerField()
    open = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.DictField())
    not_quorate = serializers.ListField(child=serializers.IntegerField())
    policy = serializers.CharField(allow_null=True)
    rule = serializers.CharField()


class ComplianceSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    kinds = KindSerializer(many=True)
    activities = serializers.IntegerField()
    attendance_rate = serializers.CharField(allow_null=True)


class ComplianceView(APIView):
    """What ``?org=`` owed in ``?period=`` (2026, 2026-Q3, 2026-07), what it held, what is missing."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("org", int, required=True), OpenApiParameter("period", str, required=True)],
        responses=ComplianceSerializer,
    )
    def get(self, request: Request) -> Response:
        org_id = request.query_params.get("org", "")
        if not org_id.isdigit():
            raise InvalidInput("org is the id of a party organisation", field="org")
        org = access_object(request.user, PartyOrg, {"pk": int(org_id)})
        period = request.query_params.get("period") or str(timezone.localdate().year)
        start, end = parse_period(period)
        rows = compliance(org, start=start, end=end, today=timezone.localdate())
        rate = attendance_rate(org, start=start, end=end)
        return Response(
            {
                "org": org.pk,
                "period": period,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "kinds": [row.as_dict() for row in rows],
                "activities": Meeting.objects.filter(org=org, held_on__gte=start, held_on__lte=end).count(),
                "attendance_rate": str(rate) if rate is not None else None,
            }
        )
