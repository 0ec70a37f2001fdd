"""Organisational-life pages: meetings (record, attendance grid), compliance per organisation and
period, and the township matrix (organisations × kinds) for a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as filters
import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.errors import DomainError
from jiceng.core.scope import permission_name, user_can, user_scope_paths
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.core.views.generic import ObjectDetailView
from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.party.life import services
from jiceng.party.life.compliance import attendance_rate, compliance, parse_period, quorum
from jiceng.party.life.models import AttendanceStatus, Meeting, MeetingKind
from jiceng.party.members.selectors import members_of
from jiceng.party.models import OrgLevel, PartyOrg


class MeetingFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="topic", lookup_expr="icontains", label=_("Search"))
    kind = filters.ChoiceFilter(choices=MeetingKind.choices, label=_("kind"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = Meeting
        fields = ["q", "kind", "org", "area"]


class MeetingTable(tables.Table):
    topic = tables.Column(linkify=True)

    class Meta:
        model = Meeting
        fields = ("held_on", "kind", "topic", "org", "hours")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["org", "kind", "held_on", "topic", "hours", "location", "speaker", "minutes"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}


class MeetingViews(ModelViews):
    model = Meeting
    filterset = MeetingFilterSet
    table = MeetingTable
    form = MeetingForm
    url_plural = "meetings"
    select_related = ["org", "org__area"]
    detail_template = "party_life/meeting_detail.html"
    detail_fields = ["org", "kind", "held_on", "topic", "hours", "location", "speaker", "minutes"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> Meeting:
        return services.do_record_meeting(data=form.cleaned_data, acting_user=user)

    @classmethod
    def urls(cls) -> list[Any]:
        detail = cls.name("detail")
        return [
            path(p.pattern._route, MeetingDetailView.as_view(views=cls), name=detail) if p.name == detail else p
            for p in super().urls()
        ]


class MeetingDetailView(ObjectDetailView):
    def base_context(self, **extra: Any) -> dict[str, Any]:
        context = super().base_context(**extra)
        meeting = extra.get("object")
        if isinstance(meeting, Meeting):
            context["attendance"] = list(meeting.attendance.select_related("member__person"))
            context["attended"] = sum(1 for a in context["attendance"] if a.attended)
            if meeting.kind == MeetingKind.COMMITTEE_MEETING:
                met, present, size, rule = quorum(meeting)
                context["quorum"] = {"met": met, "present": present, "size": size, "rule": rule.explain()}
        return context


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance grid: every member of the organisation on the meeting day, one row each."""
    meeting = access_object(request.user, Meeting, {"pk": pk}, "change")
    orgs = [meeting.org, *meeting.org.children.all()]
    members = list(members_of(orgs, on=meeting.held_on).select_related("person").order_by("person__name"))
    current = {a.member_id: a for a in meeting.attendance.all()}
    error = ""
    if request.method == "POST":
        rows = []
        for member in members:
            status = request.POST.get(f"status-{member.pk}", "")
            if not status:
                continue
            made_up = request.POST.get(f"made_up-{member.pk}") or None
            try:
                made_up_on = dt.date.fromisoformat(made_up) if made_up else None
            except ValueError:
                error = str(_("Dates are YYYY-MM-DD."))
                break
            rows.append(
                {
                    "member": member,
                    "status": status,
                    "absence_reason": request.POST.get(f"reason-{member.pk}", "").strip(),
                    "made_up_on": made_up_on,
                }
            )
        if not error:
            try:
                services.do_set_attendance(meeting, rows, acting_user=request.user)
            except DomainError as exc:
                error = exc.message
            else:
                return HttpResponseRedirect(meeting.get_absolute_url())
    grid = [(m, current.get(m.pk)) for m in members]
    return render(
        request,
        "party_life/attendance.html",
        {"meeting": meeting, "grid": grid, "statuses": AttendanceStatus.choices, "error": error},
        status=400 if error else 200,
    )


def _period(request: HttpRequest) -> tuple[str, dt.date, dt.date]:
    period = request.GET.get("period") or str(timezone.localdate().year)
    try:
        start, end = parse_period(period)
    except DomainError:
        period = str(timezone.localdate().year)
        start, end = parse_period(period)
    return period, start, end


@login_required
def org_compliance(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_object(request.user, PartyOrg, {"pk": pk})
    period, start, end = _period(request)
    today = timezone.localdate()
    return render(
        request,
        "party_life/compliance.html",
        {
            "org": org,
            "period": period,
            "start": start,
            "end": end,
            "rows": compliance(org, start=start, end=end, today=today),
            "rate": attendance_rate(org, start=start, end=end),
            "activities": Meeting.objects.filter(org=org, held_on__gte=start, held_on__lte=end).count(),
            "may_add": user_can(request.user, org, "change")
            and bool(user_scope_paths(request.user, "party_life.add_meeting")),
        },
    )


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    """Branches × kinds for a period: held/required per cell, missing ones marked."""
    if not user_scope_paths(request.user, permission_name(Meeting, "view")):
        raise PermissionDenied
    period, start, end = _period(request)
    today = timezone.localdate()
    orgs = (
        PartyOrg.objects.restrict(request.user, "view")
        .filter(level__in=[OrgLevel.BRANCH, OrgLevel.JOINT_BRANCH], dissolved_on__isnull=True)
        .select_related("area")
        .order_by("area__path", "name")[:300]
    )
    kinds = [
        MeetingKind.GENERAL_MEETING,
        MeetingKind.COMMITTEE_MEETING,
        MeetingKind.PARTY_LECTURE,
        MeetingKind.THEME_DAY,
        MeetingKind.LIFE_MEETING,
        MeetingKind.MEMBER_REVIEW,
    ]
    table = []
    for org in orgs:
        by_kind = {row.kind: row for row in compliance(org, start=start, end=end, today=today)}
        table.append((org, [by_kind.get(k) for k in kinds]))
    return render(
        request,
        "party_life/matrix.html",
        {"period": period, "kinds": [MeetingKind(k).label for k in kinds], "table": table},
    )
