"""Calendar API: ``add-workdays`` and ``workdays-between`` (any signed-in user)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.deadlines import calendar
from jiceng.core.errors import InvalidInput

MAX_DAYS = 3660
MAX_SPAN_DAYS = 366 * 10


def _date(request: Request, name: str) -> dt.date:
    raw = request.query_params.get(name, "")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(
            _("“%(name)s” must be a date (YYYY-MM-DD); got “%(value)s”.") % {"name": name, "value": raw},
            code="invalid_date",
            field=name,
        ) from exc


def _int(request: Request, name: str) -> int:
    raw = request.query_params.get(name, "")
    try:
        value = int(raw)
    except ValueError as exc:
        raise InvalidInput(
            _("“%(name)s” must be a whole number; got “%(value)s”.") % {"name": name, "value": raw},
            code="invalid_number",
            field=name,
        ) from exc
    if abs(value) > MAX_DAYS:
        raise InvalidInput(
            _("“%(name)s” must be between -%(max)s and %(max)s.") % {"name": name, "max": MAX_DAYS},
            code="out_of_range",
            field=name,
        )
    return value


class AddWorkdaysView(APIView):
    """``?date=YYYY-MM-DD&days=N`` → ``{"date", "provisional"}``: the N-th workday after the date."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, required=True),
            OpenApiParameter("days", OpenApiTypes.INT, required=True),
        ],
        responses=inline_serializer(
            "AddWorkdays",
            {
                "date": serializers.DateField(),
                "provisional": serializers.BooleanField(),
                "start": serializers.DateField(),
                "days": serializers.IntegerField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        start = _date(request, "date")
        days = _int(request, "days")
        result, provisional = calendar.add_workdays_flagged(start, days)
        return Response(
            {"date": result.isoformat(), "provisional": provisional, "start": start.isoformat(), "days": days}
        )


class WorkdaysBetweenView(APIView):
    """``?start=&end=`` → ``{"workdays", "provisional"}``: workdays after start up to and including end."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        responses=inline_serializer(
            "WorkdaysBetween",
            {
                "start": serializers.DateField(),
                "end": serializers.DateField(),
                "workdays": serializers.IntegerField(),
                "provisional": serializers.BooleanField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        start, end = _date(request, "start"), _date(request, "end")
        if abs((end - start).days) > MAX_SPAN_DAYS:
            raise InvalidInput(_("The span may not exceed ten years."), code="out_of_range", field="end")
        data: dict[str, Any] = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "workdays": calendar.workdays_between(start, end),
            "provisional": bool(calendar.provisional_years(start, end)),
        }
        return Response(data)
