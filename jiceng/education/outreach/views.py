"""Pages of consultation and outreach: one ``ModelViews`` declaration per model, the consultation
dashboard (today's dispatch, callback rate against the target, overdue list, weekly ranking), the
callback action, study-group coverage and the registered poor students with their aid."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.errors import DomainError
from jiceng.core.scope import user_can
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.directory.dashboard import parent_in_scope, scope_root
from jiceng.education.models import Student
from jiceng.education.outreach import filtersets as f
from jiceng.education.outreach import forms as fm
from jiceng.education.outreach import selectors, services
from jiceng.education.outreach import tables as t
from jiceng.education.outreach.models import (
    ClassMeeting,
    CoeducationActivity,
    Consultation,
    OutsidePublication,
    PatrolVisit,
    PolicyNotice,
    Reflection,
    StudentAid,
    StudentResult,
    StudyGroup,
    StudyLog,
)

VIEW_CONSULTATIONS = "education_outreach.view_consultation"
VIEW_GROUPS = "education_outreach.view_studygroup"
VIEW_AID = "education_outreach.view_studentaid"
SERIES_DAYS = 21  # the dashboard's chart: the last three weeks


# --- E10 ----------------------------------------------------------------------------------------
class PolicyNoticeViews(ModelViews):
    model = PolicyNotice
    filterset = f.PolicyNoticeFilterSet
    table = t.PolicyNoticeTable
    form = fm.PolicyNoticeForm
    url_plural = "policy-notices"
    select_related = ["area"]
    detail_fields = ["area", "year", "title", "body", "published_on", "channels"]


class ConsultationViews(ModelViews):
    model = Consultation
    filterset = f.ConsultationFilterSet
    table = t.ConsultationTable
    form = fm.ConsultationForm
    url_plural = "consultations"
    select_related = ["area", "school"]
    detail_template = "education_outreach/consultation_detail.html"
    detail_fields = [
        "area",
        "school",
        "channel",
        "caller_name",
        "category",
        "question",
        "answer",
        "handled_by",
        "received_at",
        "callback_due_on",
        "callback_done_at",
        "callback_by",
        "callback_outcome",
        "callback_notes",
    ]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> Consultation:
        return services.do_create_consultation(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> Consultation:
        return services.do_update_consultation(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_consultation(obj, acting_user=user)

    @classmethod
    def detail_rows(cls, obj: Any, user: Any) -> list[tuple[str, Any]]:
        rows = super().detail_rows(obj, user)
        rows.insert(4, (str(Consultation._meta.get_field("caller_phone").verbose_name), obj.masked_phone))
        return rows

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        now = timezone.now()
        return {
            "is_overdue": obj.is_callback_overdue(now),
            "can_call_back": obj.callback_done_at is None and user_can(user, obj, "change"),
            "callback_form": fm.CallbackForm(),
        }


@login_required
@require_POST
def callback(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the callback of a consultation; bad input is shown with the ticket, nothing written."""
    consultation = selectors.access_consultation(request.user, pk, "change")
    form = fm.CallbackForm(request.POST)
    message = ""
    status = 400
    if form.is_valid():
        try:
            services.do_record_callback(
                consultation,
                by=form.cleaned_data["by"],
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                done_at=form.cleaned_data["done_at"],
                acting_user=request.user,
            )
        except DomainError as exc:
            message, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(consultation.get_absolute_url())
    context = {"consultation": consultation, "form": form, "message": message}
    return render(request, "education_outreach/callback_refused.html", context, status=status)


def _day(request: HttpRequest, name: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Today's dispatch (每天调度), the callback rate against its target with the source, the overdue
    callbacks and the week's ranking (每周排名); ``?area=``, ``?day=``, ``?week=``."""
    root = scope_root(request, VIEW_CONSULTATIONS)
    if root is None:
        raise PermissionDenied
    now = timezone.now()
    day = _day(request, "day", timezone.localdate())
    week = selectors.week_start(_day(request, "week", day))
    dispatch = selectors.daily_dispatch(request.user, root, day, now=now)
    series = selectors.daily_series(request.user, root, day - dt.timedelta(days=SERIES_DAYS - 1), day)
    goal = dispatch["target"]
    chart_tickets = {
        "title": _("Tickets per day"),
        "categories": [row["day"].strftime("%m-%d") for row in series],
        "series": [
            {"name": _("Tickets"), "data": [row["tickets"] for row in series]},
            {"name": _("Called back"), "data": [row["called_back"] for row in series]},
        ],
    }
    chart_rate = {
        "title": _("Callback rate (%)"),
        "type": "line",
        "categories": chart_tickets["categories"],
        "series": [
            {"name": _("Callback rate"), "data": [float(r["rate"]) if r["rate"] is not None else None for r in series]}
        ],
        "marks": [float(goal.value)] if goal is not None else [],
    }
    context = {
        "root": root,
        "up": parent_in_scope(root, request.user, VIEW_CONSULTATIONS),
        "day": day,
        "week": week,
        "week_end": week + dt.timedelta(days=6),
        "previous_week": week - dt.timedelta(days=7),
        "next_week": week + dt.timedelta(days=7),
        "dispatch": dispatch,
        "target": goal,
        "overdue": selectors.overdue_consultations(request.user, root, now=now)[:50],
        "ranking": selectors.weekly_ranking(request.user, root, week),
        "chart_tickets": chart_tickets,
        "chart_rate": chart_rate,
    }
    return render(request, "education_outreach/dashboard.html", context)


# --- E14 ----------------------------------------------------------------------------------------
class StudyGroupViews(ModelViews):
    model = StudyGroup
    filterset = f.StudyGroupFilterSet
    table = t.StudyGroupTable
    form = fm.StudyGroupForm
    url_plural = "study-groups"
    select_related = ["school", "village", "leader__person"]
    detail_template = "education_outreach/studygroup_detail.html"
    detail_fields = ["school", "village", "name", "venue_kind", "venue", "leader", "formed_on", "dissolved_on"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> StudyGroup:
        return services.do_create_study_group(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> StudyGroup:
        return services.do_update_study_group(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {
            "members": obj.members.select_related("person").order_by("person__name"),
            "logs": obj.logs.select_related("kept_by__person")[:30],
            "visits": obj.patrol_visits.select_related("teacher__person")[:30],
        }


class StudyLogViews(ModelViews):
    model = StudyLog
    filterset = f.StudyLogFilterSet
    table = t.StudyLogTable
    form = fm.StudyLogForm
    url_plural = "study-logs"
    select_related = ["group", "group__village", "kept_by__person"]
    detail_fields = ["group", "on", "kept_by", "present", "summary"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> StudyLog:
        return services.do_create_study_log(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> StudyLog:
        return services.do_update_study_log(obj, data=form.cleaned_data, acting_user=user)


class PatrolVisitViews(ModelViews):
    model = PatrolVisit
    filterset = f.PatrolVisitFilterSet
    table = t.PatrolVisitTable
    form = fm.PatrolVisitForm
    url_plural = "patrol-visits"
    select_related = ["group", "group__village", "teacher__person"]
    detail_fields = ["group", "teacher", "visited_on", "notes"]


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """Every village where a school has students and its study groups; the gaps listed
    (``?all=1``: every school, not only those running groups)."""
    root = scope_root(request, VIEW_GROUPS)
    if root is None:
        raise PermissionDenied
    on = _day(request, "on", timezone.localdate())
    rows = selectors.coverage(request.user, root, on, all_schools=request.GET.get("all") == "1")
    context = {
        "root": root,
        "up": parent_in_scope(root, request.user, VIEW_GROUPS),
        "on": on,
        "rows": rows,
        "all": request.GET.get("all") == "1",
        "gaps": sum(len(row["gaps"]) for row in rows),
    }
    return render(request, "education_outreach/coverage.html", context)


# --- E15 ----------------------------------------------------------------------------------------
class ClassMeetingViews(ModelViews):
    model = ClassMeeting
    filterset = f.ClassMeetingFilterSet
    table = t.ClassMeetingTable
    form = fm.ClassMeetingForm
    url_plural = "class-meetings"
    select_related = ["school_class", "school_class__school"]
    detail_template = "education_outreach/classmeeting_detail.html"
    detail_fields = ["school_class", "held_on", "theme", "format", "plan"]

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {"reflections": obj.reflections.select_related("author__person").prefetch_related("publications")}


class ReflectionViews(ModelViews):
    model = Reflection
    filterset = f.ReflectionFilterSet
    table = t.ReflectionTable
    form = fm.ReflectionForm
    url_plural = "reflections"
    select_related = ["meeting", "meeting__school_class", "author__person"]
    detail_template = "education_outreach/reflection_detail.html"
    detail_fields = ["meeting", "author", "title", "text", "written_on", "is_selected", "magazine_issue"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> Reflection:
        return services.do_create_reflection(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> Reflection:
        return services.do_update_reflection(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {"publications": obj.publications.all()}


class OutsidePublicationViews(ModelViews):
    model = OutsidePublication
    filterset = f.OutsidePublicationFilterSet
    table = t.OutsidePublicationTable
    form = fm.OutsidePublicationForm
    url_plural = "publications"
    select_related = ["reflection"]
    detail_fields = ["reflection", "outlet", "level", "published_on"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> OutsidePublication:
        return services.do_create_publication(data=form.cleaned_data, acting_user=user)


# --- E16 ----------------------------------------------------------------------------------------
class StudentAidViews(ModelViews):
    model = StudentAid
    filterset = f.StudentAidFilterSet
    table = t.StudentAidTable
    form = fm.StudentAidForm
    url_plural = "aid"
    select_related = ["student__person"]
    detail_fields = ["student", "kind", "amount_yuan", "granted_on", "source", "notes"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> StudentAid:
        return services.do_create_aid(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> StudentAid:
        return services.do_update_aid(obj, data=form.cleaned_data, acting_user=user)


class StudentResultViews(ModelViews):
    model = StudentResult
    filterset = f.StudentResultFilterSet
    table = t.StudentResultTable
    form = fm.StudentResultForm
    url_plural = "results"
    select_related = ["student__person"]
    detail_fields = ["student", "kind", "on", "exam", "score", "admitted_to", "notes"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> StudentResult:
        return services.do_create_result(data=form.cleaned_data, acting_user=user)


@login_required
def poor_students(request: HttpRequest) -> HttpResponse:
    """The registered poor students (建档立卡) of the area with their aid totals and latest result."""
    root = scope_root(request, VIEW_AID)
    if root is None:
        raise PermissionDenied
    students = list(selectors.poor_students(request.user, root)[:500])
    context = {
        "root": root,
        "up": parent_in_scope(root, request.user, VIEW_AID),
        "students": students,
        "total": sum((s.aid_total or 0) for s in students),
        "flag_form": fm.FlagForm(),
        "message": request.GET.get("flagged", ""),
    }
    return render(request, "education_outreach/poor_students.html", context)


@login_required
@require_POST
def flag_student(request: HttpRequest) -> HttpResponse:
    """Flag a student as registered poor (or clear the flag) through the audited service."""
    form = fm.FlagForm(request.POST)
    target = reverse("education_outreach:poor_students")
    if not form.is_valid():
        return render(request, "education_outreach/flag_refused.html", {"form": form, "message": ""}, status=400)
    student = access_object(request.user, Student, {"student_number": form.cleaned_data["student_number"]}, "change")
    try:
        services.do_set_registered_poor(
            student, flag=form.cleaned_data["flag"], reason=form.cleaned_data["reason"], acting_user=request.user
        )
    except (DomainError, DjangoValidationError) as exc:
        message = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
        return render(request, "education_outreach/flag_refused.html", {"form": form, "message": message}, status=400)
    return HttpResponseRedirect(f"{target}?flagged={student.student_number}")


# --- E17 ----------------------------------------------------------------------------------------
class CoeducationActivityViews(ModelViews):
    model = CoeducationActivity
    filterset = f.CoeducationActivityFilterSet
    table = t.CoeducationActivityTable
    form = fm.CoeducationActivityForm
    url_plural = "activities"
    select_related = ["school"]
    detail_fields = [
        "school",
        "held_on",
        "kind",
        "title",
        "description",
        "students",
        "parents",
        "community_members",
        "partners",
    ]
