"""Pages of the staff app: exchange plans (quota check, directions, subject coverage, assignments,
generate and approve with refusals), assignments, a teacher's rotation history and service record,
recruitment rounds and their posts with the headcount by year, mentor pairs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.errors import DomainError
from jiceng.core.policies.services import PolicyMissing
from jiceng.core.scope import permission_name, user_can, user_scope_paths
from jiceng.core.views import ModelViews
from jiceng.core.workflow import GuardFailed
from jiceng.education.staff import rules, selectors, services
from jiceng.education.staff.choices import Direction
from jiceng.education.staff.filtersets import (
    MentorPairFilterSet,
    RecruitmentPostFilterSet,
    RecruitmentRoundFilterSet,
    RotationAssignmentFilterSet,
    RotationPlanFilterSet,
)
from jiceng.education.staff.forms import (
    GenerateForm,
    MentorPairForm,
    RecruitmentPostForm,
    RecruitmentRoundForm,
    RotationAssignmentForm,
    RotationPlanForm,
)
from jiceng.education.staff.models import (
    MentorPair,
    RecruitmentPost,
    RecruitmentRound,
    RotationAssignment,
    RotationPlan,
)
from jiceng.education.staff.tables import (
    MentorPairTable,
    RecruitmentPostTable,
    RecruitmentRoundTable,
    RotationAssignmentTable,
    RotationPlanTable,
)


# --- plans ------------------------------------------------------------------------------------
class RotationPlanViews(ModelViews):
    model = RotationPlan
    filterset = RotationPlanFilterSet
    table = RotationPlanTable
    form = RotationPlanForm
    url_plural = "rotation-plans"
    select_related = ["area", "group"]
    detail_template = "education_staff/rotationplan_detail.html"
    detail_fields = ["name", "area", "group", "year", "starts_on", "ends_on", "status", "seed", "generated_at",
                     "approved_at", "notes"]  # fmt: skip

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> RotationPlan:
        return services.do_create_plan(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> RotationPlan:
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("area", "group", "year")}
        return services.do_update_plan(obj, data=data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_plan(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return plan_context(obj, user)


def plan_context(plan: RotationPlan, user: Any) -> dict[str, Any]:
    """The quota check, the directions, the subject coverage and the assignments of one plan."""
    try:
        figures = rules.plan_figures(plan)
    except PolicyMissing as exc:
        return {"policy_missing": exc.message, "assignments": selectors.plan_assignments(user, plan)}
    directions = [
        {"label": d.label, "count": figures.directions.get(d.value, 0)}
        for d in Direction
        if figures.directions.get(d.value) or d != Direction.SAME_SIDE
    ]
    may_change = plan.is_draft and user_can(user, plan, "change")
    return {
        "figures": figures,
        "directions": directions,
        "coverage": selectors.plan_coverage(user, plan, figures),
        "assignments": selectors.plan_assignments(user, plan),
        "may_generate": may_change,
        "may_adjust": plan.is_draft and bool(user_scope_paths(user, permission_name(RotationAssignment, "add"))),
        "may_approve": plan.is_draft and user_can(user, plan, "approve_rotationplan"),
        "generate_form": GenerateForm(initial={"seed": plan.seed if plan.seed is not None else plan.year}),
        "add_assignment_url": reverse("education_staff:rotationassignment_add") + f"?plan={plan.pk}",
    }


def _refused(request: HttpRequest, plan: RotationPlan, reasons: list[Any], message: str, status: int) -> HttpResponse:
    context = {"plan": plan, "reasons": reasons, "message": message}
    return render(request, "education_staff/refused.html", context, status=status)


@login_required
@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace a draft plan's assignments by a generated proposal (seeded)."""
    plan = selectors.access_plan(request.user, pk, "change")
    form = GenerateForm(request.POST)
    if not form.is_valid():
        return _refused(request, plan, [], _("Give a whole number as the seed."), 400)
    try:
        services.do_generate_plan(plan, seed=form.cleaned_data["seed"], acting_user=request.user)
    except GuardFailed as exc:
        return _refused(request, plan, exc.reasons, "", exc.status)
    except DomainError as exc:
        return _refused(request, plan, [], exc.message, exc.status)
    return HttpResponseRedirect(plan.get_absolute_url())


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a plan; a refusal lists every rule broken and changes nothing."""
    plan = selectors.access_plan(request.user, pk)
    try:
        services.do_approve_plan(plan, acting_user=request.user, comment=request.POST.get("comment", "")[:500])
    except GuardFailed as exc:
        return _refused(request, plan, exc.reasons, "", exc.status)
    except DomainError as exc:
        return _refused(request, plan, [], exc.message, exc.status)
    return HttpResponseRedirect(plan.get_absolute_url())


# --- assignments ------------------------------------------------------------------------------
class RotationAssignmentViews(ModelViews):
    model = RotationAssignment
    filterset = RotationAssignmentFilterSet
    table = RotationAssignmentTable
    form = RotationAssignmentForm
    url_plural = "rotation-assignments"
    select_related = ["plan", "teacher__person", "from_school", "to_school"]
    detail_fields = ["plan", "teacher", "subject", "from_school", "to_school", "to_campus", "direction", "role",
                     "starts_on", "ends_on", "adjusted_by_bureau"]  # fmt: skip

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> RotationAssignment:
        data = dict(form.cleaned_data)
        plan = data.pop("plan")
        return services.do_add_assignment(plan, data=data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> RotationAssignment:
        data = {k: v for k, v in form.cleaned_data.items() if k != "plan"}
        return services.do_update_assignment(obj, data=data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_remove_assignment(obj, acting_user=user)


@login_required
def teacher_rotation(request: HttpRequest, pk: int) -> HttpResponse:
    """A teacher's rotation history and years served at weaker schools (E03, display only)."""
    if not user_scope_paths(request.user, "education_staff.view_rotationassignment"):
        raise PermissionDenied
    teacher = selectors.access_teacher(request.user, pk)
    record = selectors.service_record(request.user, teacher, on=timezone.localdate())
    return render(request, "education_staff/teacher_rotation.html", {"teacher": teacher, **record})


# --- recruitment ------------------------------------------------------------------------------
class RecruitmentRoundViews(ModelViews):
    model = RecruitmentRound
    filterset = RecruitmentRoundFilterSet
    table = RecruitmentRoundTable
    form = RecruitmentRoundForm
    url_plural = "recruitment-rounds"
    select_related = ["area"]
    detail_template = "education_staff/recruitmentround_detail.html"
    detail_fields = ["name", "area", "year", "announced_on", "notes"]

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        posts = RecruitmentPost.objects.restrict(user, "view").filter(recruitment_round=obj).select_related("school")
        return {"posts": posts, "totals": selectors.round_totals(user, obj)}


class RecruitmentPostViews(ModelViews):
    model = RecruitmentPost
    filterset = RecruitmentPostFilterSet
    table = RecruitmentPostTable
    form = RecruitmentPostForm
    url_plural = "recruitment-posts"
    select_related = ["recruitment_round", "school"]
    detail_fields = ["recruitment_round", "school", "subject", "employment", "posts", "hired"]


@login_required
def recruitment(request: HttpRequest) -> HttpResponse:
    """Teacher recruitment by year: rounds, posts and hires by type (E12)."""
    if not user_scope_paths(request.user, "education_staff.view_recruitmentpost"):
        raise PermissionDenied
    years = selectors.recruitment_summary(request.user)
    totals = {name: sum(row[name] for row in years) for name in ("rounds", "posts", "established", "contract", "hired")}
    return render(request, "education_staff/recruitment.html", {"years": years, "totals": totals})


# --- mentor pairs -----------------------------------------------------------------------------
class MentorPairViews(ModelViews):
    model = MentorPair
    filterset = MentorPairFilterSet
    table = MentorPairTable
    form = MentorPairForm
    url_plural = "mentor-pairs"
    select_related = ["mentor__person", "mentee__person", "school", "group"]
    detail_fields = ["mentor", "mentee", "school", "group", "starts_on", "ends_on", "notes"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> MentorPair:
        return services.do_create_mentor_pair(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> MentorPair:
        return services.do_update_mentor_pair(obj, data=form.cleaned_data, acting_user=user)
