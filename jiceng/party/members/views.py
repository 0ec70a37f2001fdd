"""Member pages: the list, a member's development timeline with what is missing for the next
stage, the transition form (refusals shown with their rules), the reserve pool and 雏雁 pairings."""

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
from jiceng.core.scope import minimal_paths, permission_name, user_can, user_scope_paths
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.core.views.generic import ObjectDetailView
from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.party.members import selectors, services
from jiceng.party.members.models import MentorPairing, PartyMember, Stage
from jiceng.party.members.services import GuardFailed

NEXT_STAGE = {
    Stage.APPLICANT: Stage.ACTIVIST,
    Stage.ACTIVIST: Stage.CANDIDATE,
    Stage.CANDIDATE: Stage.PROBATIONARY,
    Stage.PROBATIONARY: Stage.FULL,
}


class MemberFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="person__name", lookup_expr="icontains", label=_("Search"))
    stage = filters.ChoiceFilter(choices=Stage.choices, label=_("stage"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = PartyMember
        fields = ["q", "stage", "org", "area"]


class MemberTable(tables.Table):
    person = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("full name"))

    class Meta:
        model = PartyMember
        fields = ("person", "org", "stage", "applied_on", "activist_on", "probationary_on", "full_on")


class MemberViews(ModelViews):
    model = PartyMember
    filterset = MemberFilterSet
    table = MemberTable
    url_plural = "members"
    select_related = ["person", "org", "area"]
    detail_template = "party_members/partymember_detail.html"
    detail_fields = [
        "person",
        "org",
        "stage",
        "status",
        "applied_on",
        "activist_on",
        "candidate_on",
        "probationary_on",
        "probation_ends_on",
        "full_on",
        "dues_category",
        "under_probation_discipline",
        "planned_departure_on",
    ]

    @classmethod
    def urls(cls) -> list[Any]:
        detail = cls.name("detail")
        return [
            path(p.pattern._route, MemberDetailView.as_view(views=cls), name=detail) if p.name == detail else p
            for p in super().urls()
        ]


class MemberDetailView(ObjectDetailView):
    def base_context(self, **extra: Any) -> dict[str, Any]:
        context = super().base_context(**extra)
        member = extra.get("object")
        if isinstance(member, PartyMember):
            context.update(_context(self.request, member, timezone.localdate()))
        return context


def timeline(member: PartyMember) -> list[tuple[str, list[Any]]]:
    """The member's milestone records, grouped, in pipeline order."""
    return [
        (str(_("Application talks")), list(member.talks.all())),
        (str(_("Mentors")), list(member.mentors.select_related("mentor__person"))),
        (str(_("Activist reviews")), list(member.reviews.all())),
        (str(_("Sponsors")), list(member.sponsors.select_related("sponsor__person"))),
        (str(_("Political reviews")), list(member.political_reviews.all())),
        (str(_("Trainings")), list(member.trainings.all())),
        (str(_("Public notices")), list(member.notices.all())),
        (str(_("Branch votes")), list(member.votes.all())),
        (str(_("Committee approvals")), list(member.approvals.all())),
        (str(_("Probation extensions")), list(member.extensions.all())),
        (str(_("New-member mentor pairings")), list(member.pairings.select_related("mentor__person"))),
    ]


def _context(request: HttpRequest, member: PartyMember, on: dt.date) -> dict[str, Any]:
    next_stage = NEXT_STAGE.get(Stage(member.stage))
    missing = services.refusals(member, next_stage, acting_user=request.user, on=on) if next_stage else []
    return {
        "member": member,
        "timeline": timeline(member),
        "next_stage": next_stage,
        "next_stage_label": Stage(next_stage).label if next_stage else "",
        "missing": missing,
        "on": on,
        "may_change": user_can(request.user, member, "change"),
    }


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to stage"), choices=[])
    on = forms.DateField(label=_("Date of the step"), widget=forms.DateInput(attrs={"type": "date"}))
    months = forms.IntegerField(label=_("Extension (months)"), required=False, min_value=1)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)

    def __init__(self, *args: Any, member: PartyMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        targets = {
            Stage.APPLICANT: [Stage.ACTIVIST, Stage.WITHDRAWN],
            Stage.ACTIVIST: [Stage.CANDIDATE, Stage.WITHDRAWN],
            Stage.CANDIDATE: [Stage.PROBATIONARY, Stage.WITHDRAWN],
            Stage.PROBATIONARY: [Stage.FULL, Stage.PROBATIONARY, Stage.CANCELLED],
        }.get(Stage(member.stage), [])
        self.fields["to"].choices = [
            (s.value, _("extend the probation") if s == member.stage else s.label) for s in targets
        ]


@login_required
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    member = access_object(request.user, PartyMember, {"pk": pk}, "change")
    reasons: list[Any] = []
    if request.method == "POST":
        form = TransitionForm(request.POST, member=member)
        if form.is_valid():
            try:
                services.do_transition(
                    member,
                    to=form.cleaned_data["to"],
                    on=form.cleaned_data["on"],
                    months=form.cleaned_data.get("months"),
                    comment=form.cleaned_data.get("comment", ""),
                    acting_user=request.user,
                )
            except GuardFailed as exc:
                reasons = exc.reasons
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return HttpResponseRedirect(member.get_absolute_url())
    else:
        form = TransitionForm(member=member, initial={"on": timezone.localdate()})
    return render(
        request,
        "party_members/transition.html",
        {"member": member, "form": form, "reasons": reasons},
        status=409 if reasons else 200,
    )


@login_required
def pool(request: HttpRequest) -> HttpResponse:
    """党员发展后备库: the pipeline in the user's areas by stage, branch and age; admissions."""
    if not user_scope_paths(request.user, permission_name(PartyMember, "view")):
        raise PermissionDenied
    today = timezone.localdate()
    queryset = PartyMember.objects.restrict(request.user, "view")
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(request.GET.get("end") or today.isoformat())
    except ValueError:
        start, end = dt.date(today.year, 1, 1), today
    return render(
        request,
        "party_members/pool.html",
        {
            "pool": selectors.pool_figures(queryset, on=today),
            "admitted": selectors.admissions(queryset, start=start, end=end),
            "scope": minimal_paths(user_scope_paths(request.user, permission_name(PartyMember, "view"))),
            "stages": [Stage(s).label for s in selectors.PIPELINE_STAGES],
        },
    )


class PairingTable(tables.Table):
    member = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = MentorPairing
        fields = ("member", "mentor", "started_on", "ends_on")


class PairingFilterSet(filters.FilterSet):
    class Meta:
        model = MentorPairing
        fields = ["started_on"]


class PairingViews(ModelViews):
    model = MentorPairing
    filterset = PairingFilterSet
    table = PairingTable
    url_plural = "pairings"
    select_related = ["member__person", "mentor__person"]
    detail_fields = ["member", "mentor", "started_on", "ends_on", "note"]
