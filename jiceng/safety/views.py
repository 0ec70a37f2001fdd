"""Supervision registry pages: safety profiles, installations, the resident supervision roster, guidance logs,
sectors, and the bureau's supervision overview (coverage by sector, grades, retrofit trackers)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.views import ModelViews
from jiceng.directory.dashboard import parent_in_scope, scope_root
from jiceng.safety import selectors, services
from jiceng.safety.filtersets import (
    GuidanceLogFilterSet,
    InstallationFilterSet,
    ResidentSupervisionFilterSet,
    SafetyProfileFilterSet,
    SafetySectorFilterSet,
)
from jiceng.safety.models import GuidanceLog, Installation, ResidentSupervision, SafetyProfile, SafetySector

DATE = forms.DateInput(attrs={"type": "date"})


# --- sectors --------------------------------------------------------------------------------
class SafetySectorTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = SafetySector
        fields = ("order", "code", "name")


class SafetySectorForm(forms.ModelForm):
    class Meta:
        model = SafetySector
        fields = ["code", "name", "order"]


class SafetySectorViews(ModelViews):
    model = SafetySector
    filterset = SafetySectorFilterSet
    table = SafetySectorTable
    form = SafetySectorForm
    url_plural = "sectors"
    detail_fields = ["code", "name", "order"]


# --- profiles -------------------------------------------------------------------------------
class SafetyProfileTable(tables.Table):
    enterprise = tables.Column(linkify=lambda record: record.get_absolute_url())
    is_key = tables.BooleanColumn(accessor="enterprise__is_key", verbose_name=_("key enterprise"))

    class Meta:
        model = SafetyProfile
        fields = ("enterprise", "area", "sector", "is_key", "chemical_role", "safety_grade", "grade_expires_on")


class SafetyProfileForm(forms.ModelForm):
    class Meta:
        model = SafetyProfile
        fields = [
            "enterprise",
            "sector",
            "chemical_role",
            "safety_grade",
            "grade_awarded_on",
            "is_deep_well_casting",
            "has_explosive_dust",
            "principal",
            "safety_manager",
            "safety_manager_phone",
            "employees",
        ]
        widgets = {"grade_awarded_on": DATE}


class SafetyProfileViews(ModelViews):
    model = SafetyProfile
    filterset = SafetyProfileFilterSet
    table = SafetyProfileTable
    form = SafetyProfileForm
    url_plural = "enterprises"
    select_related = ["enterprise", "area", "sector"]
    detail_template = "safety/safetyprofile_detail.html"
    detail_fields = [
        "enterprise",
        "area",
        "sector",
        "chemical_role",
        "safety_grade",
        "grade_awarded_on",
        "grade_expires_on",
        "is_deep_well_casting",
        "has_explosive_dust",
        "principal",
        "safety_manager",
        "safety_manager_phone",
        "employees",
    ]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> SafetyProfile:
        return services.do_create_profile(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> SafetyProfile:
        return services.do_update_profile(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        today = timezone.localdate()
        supervisions = (
            selectors.current_resident_supervisions(today)
            .restrict(user, "view")
            .filter(enterprise=obj.enterprise)
            .select_related("supervisor", "sector")
        )
        guidance = (
            GuidanceLog.objects.restrict(user, "view")
            .filter(supervision__enterprise=obj.enterprise)
            .aggregate(visits=Count("id"), rules=Sum("rules_improved"), trainings=Sum("trainings_held"))
        )
        return {
            "supervisions": supervisions,
            "guidance": {k: v or 0 for k, v in guidance.items()},
            "installations": Installation.objects.restrict(user, "view").filter(enterprise=obj.enterprise),
        }

    @classmethod
    def detail_rows(cls, obj: Any, user: Any) -> list[tuple[str, Any]]:
        rows = super().detail_rows(obj, user)
        rows.insert(1, (str(_("key enterprise")), obj.enterprise.is_key))
        rows.insert(2, (str(_("unified social credit code")), obj.enterprise.credit_code))
        return rows


# --- installations --------------------------------------------------------------------------
class InstallationTable(tables.Table):
    name = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=False)

    class Meta:
        model = Installation
        fields = ("name", "enterprise", "kind", "retrofit_required", "retrofit_done_on", "informatised_on")


class InstallationForm(forms.ModelForm):
    class Meta:
        model = Installation
        fields = ["enterprise", "name", "kind", "retrofit_required", "retrofit_done_on", "informatised_on"]
        widgets = {"retrofit_done_on": DATE, "informatised_on": DATE}


class InstallationViews(ModelViews):
    model = Installation
    filterset = InstallationFilterSet
    table = InstallationTable
    form = InstallationForm
    url_plural = "installations"
    select_related = ["enterprise"]
    detail_fields = ["enterprise", "name", "kind", "retrofit_required", "retrofit_done_on", "informatised_on"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> Installation:
        return services.do_create_installation(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> Installation:
        return services.do_update_installation(obj, data=form.cleaned_data, acting_user=user)


# --- resident supervision and guidance ----------------------------------------------------------------
class ResidentSupervisionTable(tables.Table):
    supervisor = tables.Column(linkify=lambda record: record.get_absolute_url())
    enterprise = tables.Column(linkify=False)

    class Meta:
        model = ResidentSupervision
        fields = ("supervisor", "enterprise", "sector", "unit", "started_on", "ended_on")


class ResidentSupervisionForm(forms.ModelForm):
    class Meta:
        model = ResidentSupervision
        fields = ["enterprise", "supervisor", "sector", "unit", "started_on", "ended_on"]
        widgets = {"started_on": DATE, "ended_on": DATE}


class ResidentSupervisionViews(ModelViews):
    model = ResidentSupervision
    filterset = ResidentSupervisionFilterSet
    table = ResidentSupervisionTable
    form = ResidentSupervisionForm
    url_plural = "resident-supervisions"
    select_related = ["enterprise", "supervisor", "sector", "unit"]
    detail_fields = ["enterprise", "supervisor", "sector", "unit", "started_on", "ended_on"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> ResidentSupervision:
        return services.do_create_resident_supervision(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> ResidentSupervision:
        return services.do_update_resident_supervision(obj, data=form.cleaned_data, acting_user=user)


class GuidanceLogTable(tables.Table):
    visited_on = tables.Column(linkify=True)
    supervision = tables.Column(linkify=False)

    class Meta:
        model = GuidanceLog
        fields = ("visited_on", "supervision", "rules_improved", "trainings_held")


class GuidanceLogForm(forms.ModelForm):
    class Meta:
        model = GuidanceLog
        fields = ["supervision", "visited_on", "summary", "rules_improved", "trainings_held"]
        widgets = {"visited_on": DATE, "summary": forms.Textarea(attrs={"rows": 4})}


class GuidanceLogViews(ModelViews):
    model = GuidanceLog
    filterset = GuidanceLogFilterSet
    table = GuidanceLogTable
    form = GuidanceLogForm
    url_plural = "guidance"
    select_related = ["supervision__enterprise", "supervision__supervisor"]
    detail_fields = ["supervision", "visited_on", "summary", "rules_improved", "trainings_held"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> GuidanceLog:
        return services.do_record_guidance(data=form.cleaned_data, acting_user=user)


# --- the supervision overview ---------------------------------------------------------------
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Resident supervision coverage by sector, standardisation grades, retrofit and informatisation, chemical
    registrations, for an area (``?area=<code>``) inside the user's scope."""
    perm = "safety.view_safetyprofile"
    root = scope_root(request, perm)
    if root is None:
        raise PermissionDenied
    today = timezone.localdate()
    up = parent_in_scope(root, request.user, perm)
    context = {
        "root": root,
        "up": up,
        "on": today,
        "supervision": selectors.resident_supervision_coverage(request.user, root.path, on=today),
        "grades": selectors.grade_counts(request.user, root.path, on=today),
        "retrofit": selectors.retrofit_progress(request.user, root.path),
    }
    return render(request, "safety/overview.html", context)
