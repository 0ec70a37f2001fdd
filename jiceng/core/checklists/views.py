"""Checklist pages: campaigns with completion by area, and runs whose items are marked with evidence."""

from __future__ import annotations

import django_filters as filters
import django_tables2 as tables
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jiceng.core.checklists import services
from jiceng.core.checklists.models import Campaign, ChecklistRun, ItemResult, ItemStatus
from jiceng.core.errors import DomainError, NotFound
from jiceng.core.scope import minimal_paths, permission_name, user_can, user_scope_paths
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews


class CampaignFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = Campaign
        fields = ["q", "period"]


class CampaignTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Campaign
        fields = ("name", "template", "period", "due_on")


class RunFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="subject_repr", lookup_expr="icontains", label=_("Search"))
    open = filters.BooleanFilter(field_name="completed_at", lookup_expr="isnull", label=_("open"))

    class Meta:
        model = ChecklistRun
        fields = ["q", "open"]


class RunTable(tables.Table):
    subject_repr = tables.Column(linkify=True)

    class Meta:
        model = ChecklistRun
        fields = ("subject_repr", "campaign", "due_on", "completed_at")


class CampaignViews(ModelViews):
    model = Campaign
    filterset = CampaignFilterSet
    table = CampaignTable
    select_related = ["template"]
    detail_template = "checklists/campaign_detail.html"
    detail_fields = ["name", "template", "period", "due_on"]


class RunViews(ModelViews):
    model = ChecklistRun
    filterset = RunFilterSet
    table = RunTable
    url_plural = "runs"
    select_related = ["campaign__template"]
    detail_template = "checklists/run_detail.html"
    detail_fields = ["subject_repr", "campaign", "due_on", "completed_at"]


@login_required
def campaign_completion(request: HttpRequest, pk: int) -> HttpResponse:
    """The completion table of one campaign, per child area of the campaign's area (or of the user's
    own area inside it)."""
    from django.apps import apps

    campaign = access_object(request.user, Campaign, {"pk": pk})
    paths = minimal_paths(user_scope_paths(request.user, permission_name(ChecklistRun, "view")))
    inside = [p for p in paths if p.startswith(campaign.area_path)]
    covers = any(campaign.area_path.startswith(p) for p in paths)
    root = campaign.area_path if covers or not inside else inside[0]
    rows = services.completion_by_area(campaign, root)
    codes = {row["child"].rstrip("/").rsplit("/", 1)[-1]: row for row in rows}
    area_model = apps.get_model("directory", "Area")  # names only; core does not import directory
    for code, name in area_model.objects.filter(code__in=codes).values_list("code", "name"):
        codes[code]["name"] = name
    return render(request, "checklists/partials/completion.html", {"rows": rows})


@login_required
@require_POST
def mark_item(request: HttpRequest, pk: int) -> HttpResponse:
    result = ItemResult.objects.select_related("run", "item__template").filter(pk=pk).first()
    if result is None or not user_can(request.user, result.run, "change"):
        raise NotFound
    error = None
    try:
        services.do_mark_item(
            result,
            status=request.POST.get("status", ItemStatus.DONE),
            evidence_note=request.POST.get("evidence_note", ""),
            acting_user=request.user,
        )
    except DomainError as exc:
        error = exc.message
    if getattr(request, "htmx", False):
        result.refresh_from_db()
        return render(
            request,
            "checklists/partials/item.html",
            {"result": result, "error": error, "may_change": True},
            status=400 if error else 200,
        )
    return HttpResponseRedirect(result.run.get_absolute_url())
