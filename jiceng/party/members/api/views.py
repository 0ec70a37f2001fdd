"""API of the development pipeline: members, their transitions and milestone records, the pool."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.viewsets import ScopedModelViewSet, ServiceModelSerializer, model_viewset
from jiceng.core.errors import InvalidInput
from jiceng.core.scope import minimal_paths, permission_name, user_scope_paths
from jiceng.party.members import models as m
from jiceng.party.members import selectors, services
from jiceng.party.members.models import PartyMember, Stage

DATE_FIELDS = ["applied_on", "activist_on", "candidate_on", "probationary_on", "full_on"]


class PartyMemberSerializer(ServiceModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    stage = serializers.ChoiceField(choices=[s.value for s in Stage][:5], required=False)

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "person",
            "name",
            "org",
            "org_name",
            "stage",
            "status",
            *DATE_FIELDS,
            "probation_ends_on",
            "left_on",
            "dues_category",
            "under_probation_discipline",
            "planned_departure_on",
        ]
        read_only_fields = ["probation_ends_on", "left_on"]

    def to_representation(self, instance: PartyMember) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["stage"] = instance.stage
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            moved = [name for name in ["stage", *DATE_FIELDS] if name in attrs]
            if moved:
                raise serializers.ValidationError(
                    {name: ["Stages and milestone dates change through /transition/."] for name in moved}
                )
        return attrs

    def perform_create(self, validated_data: dict[str, Any]) -> models.Model:
        return services.do_create_member(validated_data, acting_user=self._acting_user())


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=[s.value for s in Stage])
    on = serializers.DateField(required=False)
    months = serializers.IntegerField(required=False, min_value=1)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class PartyMemberViewSet(ScopedModelViewSet):
    """Party members and the development pipeline. ``POST …/{id}/transition/`` moves a stage."""

    queryset = PartyMember.objects.select_related("person", "org")
    serializer_class = PartyMemberSerializer
    filterset_fields: ClassVar[list[str]] = ["org", "stage", "status"]
    scope_actions: ClassVar[dict[str, str]] = {"transition": "change", "refusals": "view"}

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        member = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.do_transition(
            member,
            to=body.validated_data["to"],
            on=body.validated_data.get("on"),
            months=body.validated_data.get("months"),
            comment=body.validated_data.get("comment", ""),
            acting_user=request.user,
        )
        return Response(PartyMemberSerializer(moved, context={"request": request}).data)

    @action(detail=True, methods=["get"])
    def refusals(self, request: Request, pk: str | None = None) -> Response:
        """What would stop the member reaching ``?to=<stage>`` on ``?on=`` (empty list: nothing)."""
        member = self.get_object()
        to = request.query_params.get("to", "")
        try:
            on = dt.date.fromisoformat(request.query_params["on"]) if request.query_params.get("on") else None
        except ValueError as exc:
            raise InvalidInput("on is a date: YYYY-MM-DD", field="on") from exc
        found = services.refusals(member, to, acting_user=request.user, on=on)
        return Response({"to": to, "reasons": [{"policy": r.policy_key, "message": r.message} for r in found]})


def record_viewset(model: type[models.Model], fields: list[str]) -> type[viewsets.GenericViewSet]:
    """A create/list/read/delete API for one milestone record model (writes via ``do_record``)."""
    return model_viewset(
        model,
        fields,
        create=lambda model, data, acting_user: services.do_record(model, data=data, acting_user=acting_user),
        editable=False,
        filter_fields=["member"] if "member" in fields else [],
    )


RECORD_VIEWSETS = {
    "talks": record_viewset(m.ApplicationTalk, ["member", "talked_on", "talker", "note"]),
    "mentors": record_viewset(m.Mentor, ["member", "mentor", "assigned_on", "ended_on", "note"]),
    "reviews": record_viewset(m.ActivistReview, ["member", "reviewed_on", "conclusion", "note"]),
    "sponsors": record_viewset(m.Sponsor, ["member", "sponsor", "since", "note"]),
    "political-reviews": record_viewset(m.PoliticalReview, ["member", "concluded_on", "conclusion", "passed", "note"]),
    "trainings": record_viewset(m.Training, ["member", "course", "started_on", "ended_on", "days", "hours", "note"]),
    "notices": record_viewset(m.PublicNotice, ["member", "purpose", "starts_on", "ends_on", "objections", "note"]),
    "votes": record_viewset(
        m.BranchVote,
        ["member", "purpose", "held_on", "expected_voters", "present_voters", "in_favour", "written_in_favour", "note"],
    ),
    "approvals": record_viewset(m.Approval, ["member", "purpose", "decided_on", "approved", "delay_reason", "note"]),
    "pairings": record_viewset(m.MentorPairing, ["member", "mentor", "started_on", "ends_on", "note"]),
    "mentoring-activities": record_viewset(m.MentoringActivity, ["pairing", "held_on", "summary"]),
}


class PoolAdmissionsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    count = serializers.IntegerField()
    average_age = serializers.CharField(allow_null=True, help_text="average age at the branch vote, one decimal")


class PoolSerializer(serializers.Serializer):
    scope = serializers.ListField(child=serializers.CharField())
    total = serializers.IntegerField()
    by_stage = serializers.DictField(child=serializers.IntegerField())
    by_age = serializers.DictField(child=serializers.IntegerField())
    admissions = PoolAdmissionsSerializer()


class PoolView(APIView):
    """The reserve pool in the caller's area (or ``?area=<path>`` inside it), with admissions in
    ``?start=``–``?end=`` (default: this year so far) and their average age."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, description="area path inside the caller's scope"),
            OpenApiParameter("start", OpenApiTypes.DATE, description="admissions from (default 1 January)"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="admissions to (default today)"),
        ],
        responses=PoolSerializer,
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        paths = minimal_paths(user_scope_paths(request.user, permission_name(PartyMember, "view")))
        queryset = PartyMember.objects.restrict(request.user, "view")
        area = request.query_params.get("area")
        if area:
            queryset = queryset.filter(area__path__startswith=area)
        try:
            start = dt.date.fromisoformat(request.query_params.get("start") or f"{today.year}-01-01")
            end = dt.date.fromisoformat(request.query_params.get("end") or today.isoformat())
        except ValueError as exc:
            raise InvalidInput("start and end are dates: YYYY-MM-DD", field="start") from exc
        pool = selectors.pool_figures(queryset, on=today)
        admitted = selectors.admissions(queryset, start=start, end=end)
        return Response(
            {
                "scope": paths,
                "total": pool["total"],
                "by_stage": {value: count for value, _label, count in pool["by_stage"]},
                "by_age": dict(pool["by_age"]),
                "admissions": {
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "count": admitted["count"],
                    "average_age": str(admitted["average_age"]) if admitted["average_age"] is not None else None,
                },
            }
        )
