"""Pages: holiday schedules (list, detail, load a year) and reminders."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from jiceng.core.deadlines import filtersets, forms, services, tables
from jiceng.core.deadlines.models import HolidaySchedule, Reminder
from jiceng.core.errors import DomainError
from jiceng.core.scope import permission_name, user_scope_paths
from jiceng.core.views import ModelViews


class HolidayScheduleViews(ModelViews):
    model = HolidaySchedule
    filterset = filtersets.HolidayScheduleFilterSet
    table = tables.HolidayScheduleTable
    detail_template = "deadlines/holidayschedule_detail.html"
    detail_fields = ["year", "is_loaded", "loaded_from", "loaded_at", "notes"]


class ReminderViews(ModelViews):
    model = Reminder
    filterset = filtersets.ReminderFilterSet
    table = tables.ReminderTable
    form = forms.ReminderForm
    select_related = ["assignee"]
    detail_fields = [
        "subject",
        "area_code",
        "assignee",
        "start_on",
        "workdays",
        "due_on",
        "due_at",
        "warn_at",
        "escalate_at",
        "deadline_state",
        "deadline_provisional",
        "notes",
    ]

    @classmethod
    def create(cls, form: BaseForm, user: Any) -> models.Model:
        return services.do_create_reminder(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: models.Model, form: BaseForm, user: Any) -> models.Model:
        return services.do_update_reminder(obj, data=form.cleaned_data, acting_user=user)  # type: ignore[arg-type]


class LoadScheduleView(LoginRequiredMixin, View):
    """Load a year's holidays and make-up workdays (audited; recomputes provisional deadlines)."""

    template = "deadlines/load_schedule.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not user_scope_paths(
            request.user, permission_name(HolidaySchedule, "change")
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"year": request.GET.get("year", "")}
        return render(request, self.template, {"form": forms.LoadScheduleForm(initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.LoadScheduleForm(request.POST)
        if form.is_valid():
            try:
                schedule = services.do_load_holiday_schedule(
                    form.cleaned_data["year"],
                    form.cleaned_data["days"],
                    form.cleaned_data["loaded_from"],
                    acting_user=request.user,
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error("days", exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return HttpResponseRedirect(reverse("deadlines:holidayschedule_detail", args=[schedule.pk]))
        return render(request, self.template, {"form": form}, status=400)
