"""Monitoring pages: sources (grade explained, live view refreshed by HTMX), substances held,
sensors, alarms (four firsts, evidence, acknowledge/handle/close), accountable persons and their
checks, the watcher roster, gateways, the GB 18218 reference table and the monitoring overview."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jiceng.core.errors import DomainError
from jiceng.core.policies.services import PolicyMissing
from jiceng.core.scope import user_can
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.core.workflow import TransitionRefused
from jiceng.directory.dashboard import parent_in_scope, scope_root
from jiceng.safety.monitoring import selectors, services
from jiceng.safety.monitoring.filtersets import (
    AccountablePersonFilterSet,
    AlarmFilterSet,
    GatewayFilterSet,
    HazardousSubstanceFilterSet,
    MajorHazardSourceFilterSet,
    SensorFilterSet,
    SourceCheckFilterSet,
    SourceSubstanceFilterSet,
    WatcherShiftFilterSet,
)
from jiceng.safety.monitoring.models import (
    AccountablePerson,
    Alarm,
    Gateway,
    HazardousSubstance,
    MajorHazardSource,
    Sensor,
    SourceCheck,
    SourceSubstance,
    WatcherShift,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# --- reference substances --------------------------------------------------------------------
class HazardousSubstanceTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = HazardousSubstance
        fields = ("name", "cas_number", "category", "critical_quantity_t", "beta", "verified")


class HazardousSubstanceViews(ModelViews):
    model = HazardousSubstance
    filterset = HazardousSubstanceFilterSet
    table = HazardousSubstanceTable
    url_plural = "substances"
    detail_fields = [
        "name",
        "cas_number",
        "category",
        "critical_quantity_t",
        "beta",
        "is_highly_toxic",
        "source",
        "verified",
    ]


# --- sources ---------------------------------------------------------------------------------
class MajorHazardSourceTable(tables.Table):
    name = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=False)
    live = tables.TemplateColumn(
        '<a href="{{ record.get_live_url }}">{% load i18n %}{% translate "Live" %}</a>',
        verbose_name=_("live"),
        orderable=False,
    )

    class Meta:
        model = MajorHazardSource
        fields = ("name", "enterprise", "area", "kind", "grade", "r_value", "quantity_ratio", "population_500m")


class MajorHazardSourceForm(forms.ModelForm):
    class Meta:
        model = MajorHazardSource
        fields = ["enterprise", "name", "kind", "record_number", "installation", "population_500m", "registered_on"]
        widgets = {"registered_on": DATE}


class MajorHazardSourceViews(ModelViews):
    model = MajorHazardSource
    filterset = MajorHazardSourceFilterSet
    table = MajorHazardSourceTable
    form = MajorHazardSourceForm
    url_plural = "sources"
    select_related = ["enterprise", "area", "installation"]
    detail_template = "safety_monitoring/majorhazardsource_detail.html"
    detail_fields = [
        "enterprise",
        "area",
        "name",
        "kind",
        "record_number",
        "installation",
        "population_500m",
        "registered_on",
        "quantity_ratio",
        "r_value",
        "grade",
    ]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> MajorHazardSource:
        return services.do_create_source(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> MajorHazardSource:
        return services.do_update_source(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        try:
            grade_result, grade_error = services.grade_of(obj), ""
        except PolicyMissing as exc:
            grade_result, grade_error = None, exc.message
        return {
            "grade_result": grade_result,
            "grade_error": grade_error,
            "holdings": SourceSubstance.objects.restrict(user, "view").filter(source=obj).select_related("substance"),
            "sensors": Sensor.objects.restrict(user, "view").filter(source=obj).select_related("state"),
            "accountable": AccountablePerson.objects.restrict(user, "view")
            .filter(source=obj, until__isnull=True)
            .select_related("person"),
            "checks": SourceCheck.objects.restrict(user, "view").filter(source=obj).select_related("checker")[:10],
        }


class SourceSubstanceTable(tables.Table):
    substance = tables.Column(linkify=lambda record: record.get_absolute_url())
    source = tables.Column(linkify=False)

    class Meta:
        model = SourceSubstance
        fields = ("source", "substance", "quantity_t")


class SourceSubstanceForm(forms.ModelForm):
    class Meta:
        model = SourceSubstance
        fields = ["source", "substance", "quantity_t"]


class SourceSubstanceViews(ModelViews):
    model = SourceSubstance
    filterset = SourceSubstanceFilterSet
    table = SourceSubstanceTable
    form = SourceSubstanceForm
    url_plural = "holdings"
    select_related = ["source", "substance"]
    detail_fields = ["source", "substance", "quantity_t"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> SourceSubstance:
        data = form.cleaned_data
        return services.do_set_substance(
            data["source"], substance=data["substance"], quantity_t=data["quantity_t"], acting_user=user
        )

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> SourceSubstance:
        data = form.cleaned_data
        return services.do_set_substance(
            obj.source, substance=data["substance"], quantity_t=data["quantity_t"], acting_user=user
        )

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_remove_substance(obj, acting_user=user)


# --- sensors and gateways --------------------------------------------------------------------
class SensorTable(tables.Table):
    code = tables.Column(linkify=True)
    source = tables.Column(linkify=False)

    class Meta:
        model = Sensor
        fields = ("code", "name", "source", "kind", "unit", "level1", "level2", "is_active")


class SensorForm(forms.ModelForm):
    class Meta:
        model = Sensor
        fields = [
            "code",
            "source",
            "gateway",
            "name",
            "kind",
            "unit",
            "direction",
            "level1",
            "level2",
            "oel",
            "range_min",
            "range_max",
            "is_active",
            "installed_on",
        ]
        widgets = {"installed_on": DATE}


class SensorViews(ModelViews):
    model = Sensor
    filterset = SensorFilterSet
    table = SensorTable
    form = SensorForm
    url_plural = "sensors"
    select_related = ["source__enterprise", "gateway"]
    detail_template = "safety_monitoring/sensor_detail.html"
    detail_fields = [
        "code",
        "source",
        "gateway",
        "name",
        "kind",
        "unit",
        "direction",
        "level1",
        "level2",
        "oel",
        "range_min",
        "range_max",
        "is_active",
        "installed_on",
    ]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> Sensor:
        return services.do_create_sensor(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> Sensor:
        return services.do_update_sensor(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        since = timezone.now() - dt.timedelta(hours=1)
        trace = selectors.recent_readings([obj.pk], since=since)[obj.pk]
        return {
            "state": getattr(obj, "state", None),
            "topic": obj.topic,
            "alarms": Alarm.objects.restrict(user, "view").filter(sensor=obj).order_by("-raised_at")[:10],
            "chart": {
                "title": f"{obj.code} {obj.name}",
                "type": "line",
                "categories": [timezone.localtime(ts).strftime("%H:%M:%S") for ts, _v in trace],
                "series": [{"name": obj.unit, "data": [v for _ts, v in trace]}],
                "marks": [obj.level1, obj.level2],
            },
        }


class GatewayTable(tables.Table):
    code = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=False)

    class Meta:
        model = Gateway
        fields = ("code", "name", "enterprise", "area")


class GatewayForm(forms.ModelForm):
    class Meta:
        model = Gateway
        fields = ["code", "enterprise", "name"]


class GatewayViews(ModelViews):
    model = Gateway
    filterset = GatewayFilterSet
    table = GatewayTable
    form = GatewayForm
    url_plural = "gateways"
    select_related = ["enterprise"]
    detail_fields = ["code", "enterprise", "name", "area"]


# --- alarms ----------------------------------------------------------------------------------
class AlarmTable(tables.Table):
    raised_at = tables.DateTimeColumn(linkify=True, format="Y-m-d H:i:s")
    sensor = tables.Column(linkify=False)

    class Meta:
        model = Alarm
        fields = ("raised_at", "level", "state", "sensor", "source", "reading_value", "setpoint", "peak_value")


class AlarmViews(ModelViews):
    model = Alarm
    filterset = AlarmFilterSet
    table = AlarmTable
    url_plural = "alarms"
    select_related = ["sensor", "source__enterprise", "handled_by"]
    detail_template = "safety_monitoring/alarm_detail.html"
    detail_fields = [
        "sensor",
        "source",
        "level",
        "state",
        "reading_ts",
        "reading_value",
        "setpoint",
        "peak_value",
        "explanation",
        "reactivations",
    ]

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {
            "may_handle": user_can(user, obj, "handle_alarm"),
            "close_refusals": services.close_refusals(obj),
            "evidence_rows": obj.evidence.get("readings", []),
            "four_firsts": [
                (_("discovered"), obj.discovered_at),
                (_("warned"), obj.warned_at),
                (_("handled"), obj.handled_at),
                (_("evidence fixed"), obj.evidence_fixed_at),
            ],
        }


def _alarm_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    alarm = access_object(request.user, Alarm, {"pk": pk}, "handle_alarm")
    try:
        if action == "acknowledge":
            services.do_acknowledge_alarm(alarm, acting_user=request.user, comment=request.POST.get("comment", ""))
        elif action == "handle":
            services.do_handle_alarm(alarm, acting_user=request.user, handling=request.POST.get("handling", ""))
        else:
            services.do_close_alarm(alarm, acting_user=request.user, comment=request.POST.get("comment", ""))
    except (DomainError, TransitionRefused) as exc:
        context = {
            "object": alarm,
            "error": exc.message,
            "reasons": getattr(exc, "reasons", []),
            "back": alarm.get_absolute_url(),
        }
        return render(request, "safety_monitoring/alarm_refused.html", context, status=getattr(exc, "status", 400))
    return HttpResponseRedirect(alarm.get_absolute_url())


@login_required
@require_POST
def alarm_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _alarm_action(request, pk, "acknowledge")


@login_required
@require_POST
def alarm_handle(request: HttpRequest, pk: int) -> HttpResponse:
    return _alarm_action(request, pk, "handle")


@login_required
@require_POST
def alarm_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _alarm_action(request, pk, "close")


# --- accountable persons, checks, watchers ---------------------------------------------------
class AccountablePersonTable(tables.Table):
    person = tables.Column(linkify=lambda record: record.get_absolute_url())
    source = tables.Column(linkify=False)

    class Meta:
        model = AccountablePerson
        fields = ("source", "role", "person", "phone", "since", "until")


class AccountablePersonForm(forms.ModelForm):
    class Meta:
        model = AccountablePerson
        fields = ["source", "role", "person", "phone", "since", "until"]
        widgets = {"since": DATE, "until": DATE}


class AccountablePersonViews(ModelViews):
    model = AccountablePerson
    filterset = AccountablePersonFilterSet
    table = AccountablePersonTable
    form = AccountablePersonForm
    url_plural = "accountable"
    select_related = ["source", "person"]
    detail_fields = ["source", "role", "person", "phone", "since", "until"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> AccountablePerson:
        return services.do_assign_accountable(data=form.cleaned_data, acting_user=user)


class SourceCheckTable(tables.Table):
    checked_on = tables.Column(linkify=True)
    source = tables.Column(linkify=False)

    class Meta:
        model = SourceCheck
        fields = ("checked_on", "source", "role", "checker", "problems_found")


class SourceCheckForm(forms.ModelForm):
    class Meta:
        model = SourceCheck
        fields = ["source", "role", "checked_on", "checker", "findings", "problems_found"]
        widgets = {"checked_on": DATE, "findings": forms.Textarea(attrs={"rows": 3})}


class SourceCheckViews(ModelViews):
    model = SourceCheck
    filterset = SourceCheckFilterSet
    table = SourceCheckTable
    form = SourceCheckForm
    url_plural = "checks"
    select_related = ["source", "checker"]
    detail_fields = ["source", "role", "checked_on", "checker", "findings", "problems_found"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> SourceCheck:
        return services.do_record_check(data=form.cleaned_data, acting_user=user)


class WatcherShiftTable(tables.Table):
    watcher = tables.Column(linkify=lambda record: record.get_absolute_url())
    source = tables.Column(linkify=False)

    class Meta:
        model = WatcherShift
        fields = ("source", "watcher", "starts_at", "ends_at")


class WatcherShiftForm(forms.ModelForm):
    class Meta:
        model = WatcherShift
        fields = ["source", "watcher", "starts_at", "ends_at"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}


class WatcherShiftViews(ModelViews):
    model = WatcherShift
    filterset = WatcherShiftFilterSet
    table = WatcherShiftTable
    form = WatcherShiftForm
    url_plural = "shifts"
    select_related = ["source", "watcher"]
    detail_fields = ["source", "watcher", "starts_at", "ends_at"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> WatcherShift:
        return services.do_add_shift(data=form.cleaned_data, acting_user=user)


# --- live view and overview ------------------------------------------------------------------
@login_required
def source_live(request: HttpRequest, pk: int) -> HttpResponse:
    """A source's sensors, values, set-points and open alarms; the panel refreshes itself (HTMX)."""
    source = selectors.access_source(request.user, pk)
    context = selectors.live_view(source, request.user)
    if request.GET.get("panel") or getattr(request, "htmx", False):
        return render(request, "safety_monitoring/partials/live_panel.html", context)
    return render(request, "safety_monitoring/source_live.html", context)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Sources by grade, open alarms by level, offline sensors, unwatched sources, for an area."""
    perm = "safety_monitoring.view_majorhazardsource"
    root = scope_root(request, perm)
    if root is None:
        raise PermissionDenied
    up = parent_in_scope(root, request.user, perm)
    since = timezone.now() - dt.timedelta(days=30)
    alarms = (
        Alarm.objects.restrict(request.user, "view")
        .filter(area_path__startswith=root.path, state__in=["active", "acknowledged", "handled"])
        .select_related("sensor", "source__enterprise")
        .order_by("-raised_at")[:50]
    )
    context = {
        "root": root,
        "up": up,
        "sources": selectors.source_figures(request.user, root.path),
        "alarms": selectors.alarm_figures(request.user, root.path, since=since),
        "open_alarms": alarms,
    }
    return render(request, "safety_monitoring/overview.html", context)


def urlpatterns() -> list[Any]:
    return [
        path("", overview, name="overview"),
        path("sources/<int:pk>/live/", source_live, name="source_live"),
        path("alarms/<int:pk>/acknowledge/", alarm_acknowledge, name="alarm_acknowledge"),
        path("alarms/<int:pk>/handle/", alarm_handle, name="alarm_handle"),
        path("alarms/<int:pk>/close/", alarm_close, name="alarm_close"),
        *MajorHazardSourceViews.urls(),
        *SourceSubstanceViews.urls(),
        *SensorViews.urls(),
        *GatewayViews.urls(),
        *AlarmViews.urls(),
        *AccountablePersonViews.urls(),
        *SourceCheckViews.urls(),
        *WatcherShiftViews.urls(),
        *HazardousSubstanceViews.urls(),
    ]
