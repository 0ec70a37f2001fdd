"""API of dues, payments, status records and study hours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.viewsets import model_viewset
from jiceng.core.errors import InvalidInput
from jiceng.core.selectors import access_object
from jiceng.party.dues import models as m
from jiceng.party.dues import services
from jiceng.party.members.models import PartyMember


def _month(raw: str | None) -> dt.date:
    try:
        return dt.datetime.strptime(raw, "%Y-%m").date() if raw else services.month_start(timezone.localdate())  # noqa: DTZ007
    except ValueError as exc:
        raise InvalidInput("month is YYYY-MM", field="month") from exc


class DuesRowSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    name = serializers.CharField()
    month = serializers.CharField()
    amount = serializers.CharField()
    income = serializers.CharField(allow_null=True)
    explanation = serializers.CharField()
    policies = serializers.ListField(child=serializers.CharField())
    paid = serializers.CharField()
    owed = serializers.CharField()


class DuesView(APIView):
    """Assessed dues with their rule, paid and owed: ``?member=`` (one member) or ``?org=`` (a branch),
    ``?month=YYYY-MM`` (default this month)."""

    queryset = PartyMember.objects.all()

    @extend_schema(
        parameters=[OpenApiParameter("member", int), OpenApiParameter("org", int), OpenApiParameter("month", str)],
        responses=DuesRowSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        month = _month(request.query_params.get("month"))
        if request.query_params.get("member", "").isdigit():
            members = [access_object(request.user, PartyMember, {"pk": int(request.query_params["member"])})]
        elif request.query_params.get("org", "").isdigit():
            members = list(
                PartyMember.objects.restrict(request.user, "view")
                .filter(org_id=int(request.query_params["org"]), stage__in=["probationary", "full"])
                .select_related("person", "area")
            )
        else:
            raise InvalidInput("give ?member=<id> or ?org=<id>", field="member")
        rows = []
        for member in members:
            row = services.ledger(member, month, month)[0]
            rows.append(
                {
                    "member": member.pk,
                    "name": member.person.name,
                    **row["assessment"].as_dict(),
                    "paid": str(row["paid"]),
                    "owed": str(row["owed"]),
                }
            )
        return Response(rows)


class StudyHoursSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    meeting_hours = serializers.DecimalField(max_digits=7, decimal_places=1)
    credit_hours = serializers.DecimalField(max_digits=7, decimal_places=1)
    total = serializers.DecimalField(max_digits=7, decimal_places=1)
    required = serializers.DecimalField(max_digits=7, decimal_places=1)
    shortfall = serializers.DecimalField(max_digits=7, decimal_places=1)
    rule = serializers.CharField()
    policy = serializers.CharField()


class StudyHoursView(APIView):
    """A member's class hours in ``?year=`` against the annual requirement."""

    queryset = PartyMember.objects.all()

    @extend_schema(
        parameters=[OpenApiParameter("member", int, required=True), OpenApiParameter("year", int)],
        responses=StudyHoursSerializer,
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("member", "")
        if not raw.isdigit():
            raise InvalidInput("member is the id of a party member", field="member")
        member = access_object(request.user, PartyMember, {"pk": int(raw)})
        year = request.query_params.get("year", "")
        result = services.study_hours(member, int(year) if year.isdigit() else timezone.localdate().year)
        return Response(StudyHoursSerializer(result).data)


def record_viewset(model: type[Any], fields: list[str]) -> type[Any]:
    return model_viewset(model, ["member", *fields], filter_fields=["member"])


VIEWSETS = {
    "dues-payments": record_viewset(m.DuesPayment, ["month", "amount", "paid_on", "method"]),
    "income-declarations": record_viewset(m.IncomeDeclaration, ["effective_month", "monthly_income"]),
    "dues-reductions": record_viewset(m.DuesReduction, ["from_month", "to_month", "monthly_amount", "approval"]),
    "assigned-tasks": record_viewset(m.AssignedTask, ["task", "assigned_on", "done_on"]),
    "contact-losses": record_viewset(m.ContactLoss, ["lost_since", "found_on", "note"]),
    "study-credits": record_viewset(m.StudyCredit, ["source", "title", "earned_on", "hours"]),
}
