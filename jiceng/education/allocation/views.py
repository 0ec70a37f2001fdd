"""Catchment allocation pages: zones (with their villages), enrolment plans (with capacities),
allocation runs (new run and what-if forms, results with the explanation of every placement,
publish/withdraw, comparison of a what-if with the published run) and rural intake trends."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.errors import DomainError
from jiceng.core.policies.services import PolicyMissing
from jiceng.core.scope import permission_name, user_scope_paths
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.core.workflow import GuardFailed
from jiceng.directory.dashboard import scope_root
from jiceng.education.allocation import services
from jiceng.education.allocation.choices import PlacementVia, RunState
from jiceng.education.allocation.filtersets import (
    AllocationRunFilterSet,
    CatchmentZoneFilterSet,
    EnrolmentPlanFilterSet,
    IntakeRecordFilterSet,
    PlacementFilterSet,
)
from jiceng.education.allocation.forms import (
    CatchmentZoneForm,
    EnrolmentPlanForm,
    IntakeRecordForm,
    RunForm,
    WhatIfForm,
)
from jiceng.education.allocation.models import AllocationRun, CatchmentZone, EnrolmentPlan, IntakeRecord
from jiceng.education.allocation.tables import (
    AllocationRunTable,
    CatchmentZoneTable,
    EnrolmentPlanTable,
    IntakeRecordTable,
)
from jiceng.education.choices import Location
from jiceng.education.models import School
from jiceng.education.sizes import cap_policy

VIEW_RUNS = "education_allocation.view_allocationrun"
VIEW_INTAKE = "education_allocation.view_intakerecord"


class CatchmentZoneViews(ModelViews):
    model = CatchmentZone
    filterset = CatchmentZoneFilterSet
    table = CatchmentZoneTable
    form = CatchmentZoneForm
    url_plural = "zones"
    select_related = ["area"]
    detail_template = "education_allocation/catchmentzone_detail.html"
    detail_fields = ["name", "area", "grade", "kind", "notes"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> CatchmentZone:
        return services.do_create_zone(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> CatchmentZone:
        return services.do_update_zone(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_zone(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {
            "schools": obj.schools.restrict(user, "view").select_related("area").order_by("name"),
            "villages": obj.villages.select_related("parent").order_by("path"),
        }


class EnrolmentPlanViews(ModelViews):
    model = EnrolmentPlan
    filterset = EnrolmentPlanFilterSet
    table = EnrolmentPlanTable
    form = EnrolmentPlanForm
    url_plural = "plans"
    select_related = ["school", "school__area", "area"]
    detail_template = "education_allocation/enrolmentplan_detail.html"
    detail_fields = ["school", "year", "grade", "planned_classes", "notes"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> EnrolmentPlan:
        return services.do_create_plan(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> EnrolmentPlan:
        return services.do_update_plan(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_plan(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        on = services.school_year_start(obj.school.area.path, obj.year)
        try:
            cap = cap_policy(obj.school, on)
        except PolicyMissing as exc:
            return {"capacity": None, "cap": None, "on": on, "cap_missing": exc.message}
        return {"capacity": services.plan_capacity(obj, on), "cap": cap, "on": on}


class AllocationRunViews(ModelViews):
    model = AllocationRun
    filterset = AllocationRunFilterSet
    table = AllocationRunTable
    url_plural = "runs"
    select_related = ["area", "base_run"]
    detail_template = "education_allocation/allocationrun_detail.html"
    detail_fields = [
        "name",
        "area",
        "year",
        "grade",
        "mode",
        "state",
        "seed",
        "base_run",
        "max_preferences",
        "tier_order",
        "applicant_count",
        "placed_count",
        "unplaced_count",
        "elapsed_ms",
        "published_at",
        "notes",
    ]

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_run(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        names = _school_names(obj)
        schools = [
            {"id": int(school_id), "name": names.get(int(school_id), school_id), **row}
            for school_id, row in obj.school_figures.items()
        ]
        schools.sort(key=lambda r: str(r["name"]))
        published = services.published_run(obj.area, obj.year, obj.grade)
        may_publish = bool(user_scope_paths(user, "education_allocation.publish_allocationrun"))
        return {
            "schools": schools,
            "published": published,
            "can_publish": may_publish and obj.state == RunState.DRAFT,
            "can_withdraw": may_publish and obj.state == RunState.PUBLISHED,
            "can_add": bool(user_scope_paths(user, permission_name(AllocationRun, "add"))),
            "compare_with": obj.base_run
            if obj.base_run_id
            else (published if published and published.pk != obj.pk else None),
        }


class IntakeRecordViews(ModelViews):
    model = IntakeRecord
    filterset = IntakeRecordFilterSet
    table = IntakeRecordTable
    form = IntakeRecordForm
    url_plural = "intake"
    select_related = ["school", "area"]
    detail_fields = ["school", "year", "grade", "admitted", "source"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> IntakeRecord:
        return services.do_create_intake(data=form.cleaned_data, acting_user=user)


def _school_names(run: AllocationRun) -> dict[int, str]:
    ids = {int(k) for k in run.capacity_snapshot} | {int(k) for k in run.school_figures}
    return dict(School.objects.filter(pk__in=ids).values_list("pk", "name"))


# --- runs: results, new runs, publication, comparison ---------------------------------------
@login_required
def run_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Every applicant of a run with the school placed and why (filter by school, tier, unplaced)."""
    run = access_object(request.user, AllocationRun, {"pk": pk})
    names = _school_names(run)
    qs = run.placements.select_related("home_area", "school").order_by("index")
    filterset = PlacementFilterSet(request.GET, queryset=qs)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    rows = []
    for placement in page:
        rows.append(
            {
                "placement": placement,
                "preferences": [names.get(s, str(s)) for s in placement.preferences],
                "passed": placement.explanation(names),
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "run": run,
        "rows": rows,
        "page": page,
        "query": query.urlencode(),
        "filters": request.GET,
        "schools": sorted(names.items(), key=lambda item: item[1]),
        "vias": PlacementVia.choices,
        "tiers": sorted({t for t in run.placements.values_list("tier", flat=True).distinct() if t is not None}),
    }
    return render(request, "education_allocation/run_results.html", context)


@login_required
def run_add(request: HttpRequest) -> HttpResponse:
    """A new run from a JSON cohort, or a what-if run of an existing run (``?base=<id>``)."""
    if not user_scope_paths(request.user, permission_name(AllocationRun, "add")):
        raise PermissionDenied
    runs = AllocationRun.objects.restrict(request.user, "view")
    base_id = request.GET.get("base", "")
    what_if = WhatIfForm(
        request.POST if request.POST.get("kind") == "what_if" else None, initial={"base_run": base_id or None}
    )
    what_if.fields["base_run"].queryset = runs  # type: ignore[attr-defined]
    new = RunForm(request.POST if request.POST.get("kind") == "new" else None)
    new.fields["area"].queryset = new.fields["area"].queryset.restrict(request.user, "view")  # type: ignore[attr-defined]
    reasons: list[Any] = []
    message = ""
    status = 200
    if request.method == "POST":
        form = what_if if request.POST.get("kind") == "what_if" else new
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is what_if:
                    run = services.do_create_what_if(
                        data["base_run"],
                        acting_user=request.user,
                        capacity_overrides=data["capacity_overrides"],
                        zone_overrides=data["zone_overrides"],
                        mode=data["mode"] or None,
                        diversions=data["diversions"],
                        name=data["name"],
                    )
                else:
                    run = services.do_create_run(
                        area=data["area"],
                        year=data["year"],
                        grade=data["grade"],
                        applicants=data["applicants"],
                        acting_user=request.user,
                        seed=data["seed"],
                        mode=data["mode"],
                        diversions=data["diversions"],
                        name=data["name"],
                    )
            except GuardFailed as exc:
                reasons, status = exc.reasons, exc.status
            except DomainError as exc:
                message, status = exc.message, exc.status
            else:
                return HttpResponseRedirect(run.get_absolute_url())
    context = {"what_if": what_if, "new": new, "reasons": reasons, "message": message}
    return render(request, "education_allocation/run_add.html", context, status=status)


def _transition(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    run = access_object(request.user, AllocationRun, {"pk": pk})
    try:
        if step == "publish":
            services.do_publish_run(run, acting_user=request.user, comment=request.POST.get("comment", ""))
        else:
            services.do_withdraw_run(run, acting_user=request.user, comment=request.POST.get("comment", ""))
    except GuardFailed as exc:
        context = {"run": run, "reasons": exc.reasons, "message": ""}
        return render(request, "education_allocation/run_refused.html", context, status=exc.status)
    except DomainError as exc:
        context = {"run": run, "reasons": [], "message": exc.message}
        return render(request, "education_allocation/run_refused.html", context, status=exc.status)
    return HttpResponseRedirect(run.get_absolute_url())


@login_required
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "publish")


@login_required
@require_POST
def run_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "withdraw")


@login_required
def run_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Who moves between ``?with=<run>`` (default: the base run, else the published run) and this run."""
    run = access_object(request.user, AllocationRun, {"pk": pk})
    other: AllocationRun | None = None
    if request.GET.get("with", "").isdigit():
        other = access_object(request.user, AllocationRun, {"pk": int(request.GET["with"])})
    elif run.base_run_id:
        other = access_object(request.user, AllocationRun, {"pk": run.base_run_id})
    else:
        other = services.published_run(run.area, run.year, run.grade)
    names = _school_names(run) | (_school_names(other) if other else {})
    moves = services.compare_runs(other, run) if other and other.pk != run.pk else []
    page = Paginator(moves, 100).get_page(request.GET.get("page"))
    rows = [
        {**row, "before_name": names.get(row["before"], "—"), "after_name": names.get(row["after"], "—")}
        for row in page
    ]
    context = {"run": run, "other": other, "rows": rows, "page": page, "total": len(moves)}
    return render(request, "education_allocation/run_compare.html", context)


# --- rural intake trends ---------------------------------------------------------------------
@login_required
def intake_trends(request: HttpRequest) -> HttpResponse:
    """New-student intake per school by year with the growth %, rural schools by default
    (``?location=urban|rural|all``), for ``?grade=`` (default 7: middle schools)."""
    root = scope_root(request, VIEW_INTAKE)
    if root is None:
        raise PermissionDenied
    location = request.GET.get("location", Location.RURAL)
    grade = int(request.GET["grade"]) if request.GET.get("grade", "").isdigit() else 7
    records = IntakeRecord.objects.restrict(request.user, "view").filter(area__path__startswith=root.path, grade=grade)
    if location in Location.values:
        records = records.filter(school__location=location)
    records = records.select_related("school").order_by("school__name", "year")
    trend = services.intake_trend(records)
    years = sorted({year for row in trend for year in row["years"]})
    totals = [sum(row["years"].get(year, 0) for row in trend) for year in years]
    for row in trend:
        row["values"] = [row["years"].get(year) for year in years]
    chart = {
        "title": _("New students admitted by year"),
        "categories": [str(year) for year in years],
        "series": [{"name": _("All schools shown"), "data": totals}]
        + [{"name": row["school"].name, "data": [row["years"].get(y, 0) for y in years]} for row in trend[:8]],
    }
    context = {
        "root": root,
        "trend": trend,
        "years": years,
        "totals": totals,
        "total_growth": services.growth_pct(totals[0], totals[-1]) if len(totals) > 1 else None,
        "chart": chart,
        "location": location,
        "grade": grade,
        "locations": [("all", _("all")), *Location.choices],
    }
    return render(request, "education_allocation/intake_trends.html", context)
