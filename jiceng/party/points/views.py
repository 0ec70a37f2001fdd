"""Points pages: the rules catalogue, a branch's ranking with faces, a member's own points, star ratings."""

from __future__ import annotations

import django_filters as filters
import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.errors import NotFound
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.party.members.models import PartyMember
from jiceng.party.models import PartyOrg
from jiceng.party.points import services
from jiceng.party.points.models import PointsRule, StarRating

FACES = {"smile": "😊", "neutral": "😐", "frown": "☹️"}


class RuleFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = PointsRule
        fields = ["q", "recorder", "active"]


class RuleTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = PointsRule
        fields = ("code", "name", "points", "evidence_required", "recorder", "area", "active")


class RuleForm(forms.ModelForm):
    class Meta:
        model = PointsRule
        fields = ["area", "code", "name", "points", "evidence_required", "recorder", "active"]


class RuleViews(ModelViews):
    model = PointsRule
    filterset = RuleFilterSet
    table = RuleTable
    form = RuleForm
    url_plural = "rules"
    select_related = ["area"]
    detail_fields = ["area", "code", "name", "points", "evidence_required", "recorder", "active"]


class RatingFilterSet(filters.FilterSet):
    class Meta:
        model = StarRating
        fields = ["year", "stars"]


class RatingTable(tables.Table):
    org = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = StarRating
        fields = ("org", "year", "total", "band_stars", "stars", "rated_on")


class RatingViews(ModelViews):
    model = StarRating
    filterset = RatingFilterSet
    table = RatingTable
    url_plural = "star-ratings"
    select_related = ["org"]
    detail_fields = ["org", "year", "scores", "evidence", "total", "band_stars", "stars", "explanation", "rated_on"]


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() else timezone.localdate().year


@login_required
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_object(request.user, PartyOrg, {"pk": pk})
    year = _year(request)
    rows = services.branch_ranking(org, year)
    for row in rows:
        row["icon"] = FACES[row["face"]]
    return render(request, "party_points/ranking.html", {"org": org, "year": year, "rows": rows})


@login_required
def my_points(request: HttpRequest) -> HttpResponse:
    """A member's own points: the signed-in user's person must be a party member (no other rows)."""
    member = (
        PartyMember.objects.filter(person_id=getattr(request.user, "person_id", None))
        .select_related("area", "org")
        .first()
    )
    if member is None:
        raise NotFound
    year = _year(request)
    result = services.grade(member, year)
    entries = services.member_entries(member).filter(period=str(year)).order_by("-recorded_at")
    return render(
        request,
        "party_points/my_points.html",
        {"member": member, "year": year, "result": result, "icon": FACES[result["face"]], "entries": entries},
    )
