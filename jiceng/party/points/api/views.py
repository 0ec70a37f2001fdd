"""API of member points and star ratings."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.fields import ScopedPrimaryKeyRelatedField
from jiceng.core.api.viewsets import ScopedGenericViewSet
from jiceng.core.errors import InvalidInput
from jiceng.core.selectors import access_object
from jiceng.party.members.models import PartyMember
from jiceng.party.models import PartyOrg
from jiceng.party.points import services
from jiceng.party.points.models import MemberPointsEntry, PointsAppeal, StarRating


class PointsEntrySerializer(serializers.ModelSerializer):
    member = ScopedPrimaryKeyRelatedField(queryset=PartyMember.objects.all(), write_only=True)
    member_id = serializers.IntegerField(source="object_id", read_only=True)
    rule = serializers.CharField(source="rule_key")

    class Meta:
        model = MemberPointsEntry
        fields = [
            "id",
            "member",
            "member_id",
            "subject_repr",
            "rule",
            "points",
            "period",
            "evidence",
            "recorded_at",
            "reverses",
            "reason",
        ]
        read_only_fields = ["points", "subject_repr", "recorded_at", "reverses", "reason"]

    def create(self, validated_data: dict[str, Any]) -> Any:
        request = self.context["request"]
        return services.do_record(
            validated_data["member"],
            code=validated_data["rule_key"],
            period=validated_data["period"],
            evidence=validated_data.get("evidence", ""),
            acting_user=request.user,
        )


class PointsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedGenericViewSet):
    """The points ledger of party members (append-only: corrections are reversing entries)."""

    queryset = MemberPointsEntry.objects.filter(
        content_type__app_label="party_members", content_type__model="partymember"
    )
    serializer_class = PointsEntrySerializer
    filterset_fields: ClassVar[list[str]] = ["period", "rule_key", "object_id"]


class GradeSerializer(serializers.Serializer):
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    grade = serializers.ChoiceField(choices=["excellent", "qualified", "unqualified"])
    face = serializers.ChoiceField(choices=["smile", "neutral", "frown"])
    rule = serializers.CharField()


class GradeView(APIView):
    """A member's points, grade and face for ``?year=`` (default this year)."""

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=GradeSerializer)
    def get(self, request: Request, pk: int) -> Response:
        member = access_object(request.user, PartyMember, {"pk": pk})
        raw = request.query_params.get("year") or str(timezone.localdate().year)
        if not raw.isdigit():
            raise InvalidInput("year is a number, e.g. 2026", field="year")
        result = services.grade(member, int(raw))
        return Response({**result, "points": result["points"]})

    queryset = PartyMember.objects.all()  # for the permission check (party_members.view_partymember)


class AppealSerializer(serializers.ModelSerializer):
    entry = serializers.PrimaryKeyRelatedField(queryset=MemberPointsEntry.objects.all())

    class Meta:
        model = PointsAppeal
        fields = ["id", "entry", "member", "filed_on", "reason", "status", "decided_on", "decision"]
        read_only_fields = ["member", "filed_on", "status", "decided_on", "decision"]

    def validate_entry(self, entry: Any) -> Any:
        request = self.context["request"]
        return access_object(request.user, MemberPointsEntry, {"pk": entry.pk})

    def create(self, validated_data: dict[str, Any]) -> Any:
        return services.do_file_appeal(
            validated_data["entry"], reason=validated_data["reason"], acting_user=self.context["request"].user
        )


class DecisionSerializer(serializers.Serializer):
    uphold = serializers.BooleanField()
    decision = serializers.CharField(max_length=2000)


class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedGenericViewSet):
    queryset = PointsAppeal.objects.select_related("member")
    serializer_class = AppealSerializer
    scope_actions: ClassVar[dict[str, str]] = {"decide": "change"}

    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        appeal = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = services.do_decide_appeal(appeal, acting_user=request.user, **body.validated_data)
        return Response(AppealSerializer(decided, context={"request": request}).data)


class StarRatingSerializer(serializers.ModelSerializer):
    org = ScopedPrimaryKeyRelatedField(queryset=PartyOrg.objects.all())

    class Meta:
        model = StarRating
        fields = ["id", "org", "year", "scores", "evidence", "total", "band_stars", "stars", "explanation", "rated_on"]
        read_only_fields = ["total", "band_stars", "stars", "explanation", "rated_on"]

    def create(self, validated_data: dict[str, Any]) -> Any:
        return services.do_rate(
            validated_data["org"],
            year=validated_data["year"],
            scores=validated_data.get("scores") or {},
            evidence=validated_data.get("evidence") or {},
            acting_user=self.context["request"].user,
        )


class StarRatingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedGenericViewSet
):
    """Yearly star ratings (scores per criterion of the 110-point sheet, stars within quotas)."""

    queryset = StarRating.objects.select_related("org")
    serializer_class = StarRatingSerializer
    filterset_fields: ClassVar[list[str]] = ["year", "org", "stars"]
