"""Registry pages: one generic list/detail/edit set per registry, an index, contest ranking,
instructors without a visit last month."""

from __future__ import annotations

from typing import Any

import django_filters as filters
import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from jiceng.core.scope import permission_name, user_scope_paths
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.party.registries import models as m
from jiceng.party.registries import services

# model, URL segment, list columns, form fields
REGISTRIES: list[tuple[type[Any], str, list[str], list[str]]] = [
    (
        m.FirstSecretary,
        "first-secretaries",
        ["person", "area", "dispatching_unit", "started_on", "ended_on", "league_instructor"],
        ["person", "area", "dispatching_unit", "started_on", "ended_on", "league_instructor", "assessment"],
    ),
    (m.Instructor, "instructors", ["name", "kind", "area"], ["name", "kind", "area", "enterprises"]),
    (
        m.InstructorVisit,
        "instructor-visits",
        ["visited_on", "instructor", "enterprise", "content"],
        ["instructor", "enterprise", "visited_on", "content"],
    ),
    (
        m.Alliance,
        "alliances",
        ["name", "chain", "lead_enterprise", "area"],
        ["name", "chain", "area", "lead_enterprise", "members", "association_org"],
    ),
    (
        m.BranchPairing,
        "pairings",
        ["enterprise_branch", "village_branch", "started_on"],
        ["area", "enterprise_branch", "village_branch", "started_on"],
    ),
    (
        m.JointAction,
        "joint-actions",
        ["held_on", "pairing", "kind", "summary"],
        ["pairing", "kind", "held_on", "summary", "outcome"],
    ),
    (m.Contest, "contests", ["name", "held_on", "area"], ["name", "held_on", "area"]),
    (m.ContestEntry, "contest-entries", ["contest", "contestant", "org"], ["contest", "contestant", "org", "scores"]),
    (
        m.Post,
        "posts",
        ["name", "kind", "enterprise", "area"],
        ["name", "kind", "enterprise", "location", "area", "members"],
    ),
    (
        m.FundEntry,
        "funds",
        ["booked_on", "org", "income_source", "use", "amount", "description"],
        ["org", "area", "booked_on", "income_source", "use", "amount", "payee", "description"],
    ),
    (m.Brand, "brands", ["name", "level", "kind", "year", "org"], ["name", "area", "org", "level", "kind", "year"]),
    (
        m.CultivationTarget,
        "cultivation-targets",
        ["org", "level", "category", "year", "reached_standard_on"],
        ["org", "area", "level", "category", "year", "reached_standard_on"],
    ),
    (
        m.PropagandaSite,
        "propaganda-sites",
        ["name", "location", "themes", "area"],
        ["name", "area", "location", "themes"],
    ),
]


def _views(model: type[Any], slug: str, columns: list[str], fields: list[str]) -> type[ModelViews]:
    first = columns[0]
    table = type(
        f"{model.__name__}Table",
        (tables.Table,),
        {
            first: tables.Column(
                linkify=lambda record: record.get_absolute_url(), verbose_name=model._meta.get_field(first).verbose_name
            ),
            "Meta": type("Meta", (), {"model": model, "fields": tuple(columns)}),
        },
    )
    filterset = type(
        f"{model.__name__}FilterSet", (filters.FilterSet,), {"Meta": type("Meta", (), {"model": model, "fields": []})}
    )
    widgets = {
        name: forms.DateInput(attrs={"type": "date"})
        for name in fields
        if model._meta.get_field(name).get_internal_type() == "DateField"
    }
    form = type(
        f"{model.__name__}Form",
        (forms.ModelForm,),
        {"Meta": type("Meta", (), {"model": model, "fields": fields, "widgets": widgets})},
    )

    def create(cls: Any, form: forms.BaseForm, user: Any) -> Any:
        return services.do_create(model, data=form.cleaned_data, acting_user=user)

    return type(
        f"{model.__name__}Views",
        (ModelViews,),
        {
            "model": model,
            "filterset": filterset,
            "table": table,
            "form": form,
            "url_plural": slug,
            "detail_fields": [n for n in fields if not model._meta.get_field(n).many_to_many],
            "create": classmethod(create),
        },
    )


VIEWS = [_views(*spec) for spec in REGISTRIES]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    sections = []
    for views in VIEWS:
        model = views.model
        if user_scope_paths(request.user, permission_name(model, "view")):
            sections.append(
                {
                    "title": model._meta.verbose_name_plural,
                    "url": reverse(views.url_name("list")),
                    "count": model.objects.restrict(request.user, "view").count(),
                }
            )
    if not sections:
        raise PermissionDenied
    overdue = services.instructors_without_visit(m.Instructor.objects.restrict(request.user, "view"))
    return render(request, "party_registries/index.html", {"sections": sections, "overdue": overdue})


@login_required
def contest_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_object(request.user, m.Contest, {"pk": pk})
    return render(
        request, "party_registries/ranking.html", {"contest": contest, "rows": services.contest_ranking(contest)}
    )
