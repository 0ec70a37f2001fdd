"""Dues pages: a branch's monthly sheet (assessed, paid, owed, with the rule of each amount),
a member's ledger for the year, and study-hours progress of a branch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jiceng.core.selectors import access_object
from jiceng.party.dues import services
from jiceng.party.members.models import PartyMember
from jiceng.party.members.selectors import members_of
from jiceng.party.models import PartyOrg


def _month(request: HttpRequest) -> dt.date:
    try:
        return dt.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()  # noqa: DTZ007
    except ValueError:
        return services.month_start(timezone.localdate())


@login_required
def branch_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_object(request.user, PartyOrg, {"pk": pk})
    month = _month(request)
    rows: list[dict[str, Any]] = []
    for member in members_of(org, on=month).select_related("person", "area").order_by("person__name"):
        rows.append({"member": member, **services.ledger(member, month, month)[0]})
    assessed = sum((r["assessment"].amount for r in rows), start=Decimal(0))
    paid = sum((r["paid"] for r in rows), start=Decimal(0))
    return render(
        request,
        "party_dues/sheet.html",
        {"org": org, "month": month, "rows": rows, "assessed": assessed, "paid": paid},
    )


@login_required
def member_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    member = access_object(request.user, PartyMember, {"pk": pk})
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else timezone.localdate().year
    end = min(dt.date(year, 12, 1), services.month_start(timezone.localdate()))
    return render(
        request,
        "party_dues/ledger.html",
        {
            "member": member,
            "year": year,
            "rows": services.ledger(member, dt.date(year, 1, 1), end),
            "hours": services.study_hours(member, year),
            "findings": services.status_findings(member, on=timezone.localdate()),
        },
    )


@login_required
def branch_hours(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_object(request.user, PartyOrg, {"pk": pk})
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else timezone.localdate().year
    rows = [
        {"member": member, **services.study_hours(member, year)}
        for member in members_of(org, on=timezone.localdate()).select_related("person", "area").order_by("person__name")
    ]
    return render(request, "party_dues/hours.html", {"org": org, "year": year, "rows": rows})
