"""Pages of group work.

- ``/education/groupwork/`` the groups the user may see, with this year's figures;
- ``groups/<id>/`` one group's dashboard: members, plan completion per school, visits, research days,
  fund allocated / spent / balance, shared resources;
- ``plans/``, ``visits/``, ``research-days/``, ``resources/`` (upload; files only through the scoped
  download view), ``fund-allocations/``, ``fund-spendings/``, ``building-projects/`` (+ ``totals/``).
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.errors import DomainError
from jiceng.core.scope import permission_name, user_can, user_scope_paths
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.core.views.generic import restrict_form_choices
from jiceng.core.workflow import GuardFailed
from jiceng.directory.models import Area
from jiceng.education.choices import Subject
from jiceng.education.groupwork import filtersets as f
from jiceng.education.groupwork import selectors, services
from jiceng.education.groupwork.choices import ResourceKind
from jiceng.education.groupwork.files import file_response
from jiceng.education.groupwork.models import (
    BuildingProject,
    CourseResource,
    DiagnosisVisit,
    FundAllocation,
    FundSpending,
    GroupPlan,
    ResearchDay,
    split_keys,
)
from jiceng.education.models import EducationGroup, School

DATE = forms.DateInput(attrs={"type": "date"})


def _widgets(*names: str) -> dict[str, forms.Widget]:
    return dict.fromkeys(names, DATE)


class SubjectsField(forms.MultipleChoiceField):
    """Subjects as checkboxes, stored comma-separated."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Subject.choices, required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return split_keys(value) if isinstance(value, str) else value

    def clean(self, value: Any) -> str:  # type: ignore[override]
        return ",".join(super().clean(value))


def _form_errors(form: Any, exc: Exception) -> None:
    if isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    elif isinstance(exc, DjangoValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)  # type: ignore[arg-type]


# --- group plans ----------------------------------------------------------------------------------
class GroupPlanTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = GroupPlan
        fields = ("name", "group", "year", "template", "due_on")


class GroupPlanForm(forms.ModelForm):
    class Meta:
        model = GroupPlan
        fields = ["group", "year", "template", "name", "due_on", "notes"]
        widgets = _widgets("due_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = services.plan_templates()
        self.fields["name"].required = False
        if self.instance.pk:
            for name in ("group", "year", "template"):
                self.fields[name].disabled = True


class GroupPlanViews(ModelViews):
    model = GroupPlan
    filterset = f.GroupPlanFilterSet
    table = GroupPlanTable
    form = GroupPlanForm
    url_plural = "plans"
    select_related = ["group", "template", "area"]
    detail_template = "education_groupwork/groupplan_detail.html"
    detail_fields = ["group", "year", "template", "due_on", "notes"]

    @classmethod
    def create(cls, form: Any, user: Any) -> GroupPlan:
        return services.do_create_group_plan(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> GroupPlan:
        return services.do_update_group_plan(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_group_plan(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {
            "completion": selectors.plan_completion(obj),
            "summary": selectors.plan_summary(obj),
            "items": list(obj.template.items.all()),
        }


# --- diagnosis visits --------------------------------------------------------------------------------
class DiagnosisVisitTable(tables.Table):
    visited_on = tables.Column(linkify=True)
    subjects = tables.Column(accessor="subject_display", orderable=False, verbose_name=_("subjects"))

    class Meta:
        model = DiagnosisVisit
        fields = ("visited_on", "group", "team_school", "visited_school", "visited_campus", "subjects")


class DiagnosisVisitForm(forms.ModelForm):
    subjects = SubjectsField(label=_("subjects"))

    class Meta:
        model = DiagnosisVisit
        fields = [
            "group",
            "team_school",
            "team",
            "visited_school",
            "visited_campus",
            "visited_on",
            "subjects",
            "findings",
            "follow_up",
            "follow_up_due_on",
            "follow_up_done_on",
        ]
        widgets = _widgets("visited_on", "follow_up_due_on", "follow_up_done_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team_school"].required = False
        self.fields["team_school"].help_text = _("Default: the group's lead school.")


class DiagnosisVisitViews(ModelViews):
    model = DiagnosisVisit
    filterset = f.DiagnosisVisitFilterSet
    table = DiagnosisVisitTable
    form = DiagnosisVisitForm
    url_plural = "visits"
    select_related = ["group", "team_school", "visited_school", "visited_campus"]
    detail_fields = [
        "group",
        "team_school",
        "team",
        "visited_school",
        "visited_campus",
        "visited_on",
        "findings",
        "follow_up",
        "follow_up_due_on",
        "follow_up_done_on",
    ]

    @classmethod
    def create(cls, form: Any, user: Any) -> DiagnosisVisit:
        return services.do_record_visit(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> DiagnosisVisit:
        return services.do_update_visit(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_rows(cls, obj: Any, user: Any) -> list[tuple[str, Any]]:
        rows = super().detail_rows(obj, user)
        rows.insert(6, (str(_("subjects")), obj.subject_display()))
        return rows


# --- research days -----------------------------------------------------------------------------------
class ResearchDayTable(tables.Table):
    held_on = tables.Column(linkify=True)

    class Meta:
        model = ResearchDay
        fields = ("held_on", "group", "kind", "topic", "host_school", "invited_count", "attended_count")


class ResearchDayForm(forms.ModelForm):
    subjects = SubjectsField(label=_("subjects"))

    class Meta:
        model = ResearchDay
        fields = [
            "group",
            "held_on",
            "kind",
            "topic",
            "host_school",
            "subjects",
            "invited_count",
            "attended_count",
            "notes",
        ]
        widgets = _widgets("held_on")


class ResearchDayViews(ModelViews):
    model = ResearchDay
    filterset = f.ResearchDayFilterSet
    table = ResearchDayTable
    form = ResearchDayForm
    url_plural = "research-days"
    select_related = ["group", "host_school"]
    detail_fields = ["group", "held_on", "kind", "topic", "host_school", "invited_count", "attended_count", "notes"]

    @classmethod
    def create(cls, form: Any, user: Any) -> ResearchDay:
        return services.do_record_research_day(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> ResearchDay:
        return services.do_update_research_day(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_rows(cls, obj: Any, user: Any) -> list[tuple[str, Any]]:
        rows = super().detail_rows(obj, user)
        rows.insert(5, (str(_("subjects")), obj.subject_display()))
        return rows


# --- shared course resources -----------------------------------------------------------------------
class CourseResourceTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = CourseResource
        fields = ("title", "kind", "subject", "grade", "group", "school", "created_at")


class CourseResourceForm(forms.ModelForm):
    """Correcting a shared resource's description (the file is never replaced)."""

    class Meta:
        model = CourseResource
        fields = ["title", "kind", "subject", "grade", "description"]


class ResourceUploadForm(forms.Form):
    group = forms.ModelChoiceField(queryset=EducationGroup.objects.all(), label=_("education group"))
    school = forms.ModelChoiceField(
        queryset=School.objects.all(), label=_("shared by (school)"), help_text=_("A member school of the group.")
    )
    kind = forms.ChoiceField(choices=ResourceKind.choices, label=_("kind"))
    title = forms.CharField(max_length=200, label=_("title"))
    subject = forms.ChoiceField(choices=[("", "—"), *Subject.choices], required=False, label=_("subject"))
    grade = forms.IntegerField(min_value=1, max_value=12, required=False, label=_("grade"))
    description = forms.CharField(widget=forms.Textarea, required=False, label=_("description"))
    file = forms.FileField(label=_("file"))


class CourseResourceViews(ModelViews):
    model = CourseResource
    filterset = f.CourseResourceFilterSet
    table = CourseResourceTable
    form = CourseResourceForm
    url_plural = "resources"
    select_related = ["group", "school", "uploaded_by"]
    detail_template = "education_groupwork/courseresource_detail.html"
    detail_fields = [
        "title",
        "kind",
        "subject",
        "grade",
        "group",
        "school",
        "description",
        "original_name",
        "content_type",
        "size_bytes",
        "sha256",
        "uploaded_by",
        "created_at",
    ]

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> CourseResource:
        return services.do_update_resource(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_resource(obj, acting_user=user)

    @classmethod
    def urls(cls) -> list[Any]:
        add = cls.name("add")
        return [path("resources/add/", resource_add, name=add) if p.name == add else p for p in super().urls()]


@login_required
def resource_add(request: HttpRequest) -> HttpResponse:
    """Share a file with a group (a member school's staff)."""
    if not user_scope_paths(request.user, permission_name(CourseResource, "add")):
        raise PermissionDenied
    form = ResourceUploadForm(request.POST or None, request.FILES or None, initial=request.GET.dict() or None)
    restrict_form_choices(form, request.user)
    reasons: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        try:
            resource = services.do_share_resource(data=data, upload=form.cleaned_data["file"], acting_user=request.user)
        except GuardFailed as exc:
            reasons = exc.reasons
        except (DomainError, DjangoValidationError) as exc:
            if isinstance(exc, DomainError) and exc.status == 403:
                raise PermissionDenied from exc
            _form_errors(form, exc)
        else:
            return HttpResponseRedirect(resource.get_absolute_url())
    status = 409 if reasons else (400 if request.method == "POST" else 200)
    context = {
        "form": form,
        "title": _("Share a course resource"),
        "back": reverse("education_groupwork:courseresource_list"),
        "reasons": reasons,
        "multipart": True,
    }
    return render(request, "education_groupwork/form.html", context, status=status)


@login_required
def resource_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The resource's file, for members of its group only (404 otherwise)."""
    resource = access_object(request.user, CourseResource, {"pk": pk}, "view")
    return file_response(resource.file.name, resource.content_type, resource.original_name)


# --- the group special fund ----------------------------------------------------------------------
class FundAllocationTable(tables.Table):
    year = tables.Column(linkify=True)

    class Meta:
        model = FundAllocation
        fields = ("year", "group", "amount_yuan", "approved_on", "document")


class FundAllocationForm(forms.ModelForm):
    class Meta:
        model = FundAllocation
        fields = ["group", "year", "amount_yuan", "approved_on", "document", "notes"]
        widgets = _widgets("approved_on")


class FundAllocationViews(ModelViews):
    model = FundAllocation
    filterset = f.FundAllocationFilterSet
    table = FundAllocationTable
    form = FundAllocationForm
    url_plural = "fund-allocations"
    select_related = ["group", "area"]
    detail_template = "education_groupwork/fundallocation_detail.html"
    detail_fields = ["group", "year", "amount_yuan", "approved_on", "document", "notes"]

    @classmethod
    def create(cls, form: Any, user: Any) -> FundAllocation:
        return services.do_allocate_fund(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> FundAllocation:
        return services.do_update_allocation(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        on = obj.approved_on
        limits = services.fund_range(obj.group, on)
        _uses, rule = services.eligible_uses(obj.group, on)
        return {
            "balance": selectors.allocation_balance(obj),
            "by_use": selectors.spending_by_use(obj),
            "spendings": selectors.spendings_of(obj, user),
            "limits": limits,
            "eligible_rule": rule,
            "can_spend": user_can(user, obj, "change"),
        }


class FundSpendingTable(tables.Table):
    spent_on = tables.Column(linkify=True)

    class Meta:
        model = FundSpending
        fields = ("spent_on", "allocation", "use", "amount_yuan", "description", "school", "voucher")


class FundSpendingForm(forms.ModelForm):
    class Meta:
        model = FundSpending
        fields = ["allocation", "spent_on", "use", "amount_yuan", "description", "school", "voucher"]
        widgets = _widgets("spent_on")


class FundSpendingViews(ModelViews):
    model = FundSpending
    filterset = f.FundSpendingFilterSet
    table = FundSpendingTable
    form = FundSpendingForm
    url_plural = "fund-spendings"
    select_related = ["allocation__group", "school"]
    detail_fields = ["allocation", "spent_on", "use", "amount_yuan", "description", "school", "voucher", "recorded_by"]

    @classmethod
    def create(cls, form: Any, user: Any) -> FundSpending:
        return services.do_record_spending(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> FundSpending:
        return services.do_update_spending(obj, data=form.cleaned_data, acting_user=user)


# --- building projects ----------------------------------------------------------------------------
class BuildingProjectTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = BuildingProject
        fields = (
            "name",
            "kind",
            "status",
            "planning_year",
            "school",
            "planned_school",
            "investment_yuan",
            "land_mu",
            "floor_area_m2",
        )


class BuildingProjectForm(forms.ModelForm):
    class Meta:
        model = BuildingProject
        fields = [
            "name",
            "programme",
            "area",
            "school",
            "planned_school",
            "kind",
            "status",
            "planning_year",
            "investment_yuan",
            "land_mu",
            "floor_area_m2",
            "completed_on",
            "notes",
        ]
        widgets = _widgets("completed_on")


class BuildingProjectViews(ModelViews):
    model = BuildingProject
    filterset = f.BuildingProjectFilterSet
    table = BuildingProjectTable
    form = BuildingProjectForm
    url_plural = "building-projects"
    select_related = ["area", "school"]
    detail_fields = [
        "name",
        "programme",
        "area",
        "school",
        "planned_school",
        "kind",
        "status",
        "planning_year",
        "investment_yuan",
        "land_mu",
        "floor_area_m2",
        "completed_on",
        "notes",
    ]

    @classmethod
    def create(cls, form: Any, user: Any) -> BuildingProject:
        return services.do_create_project(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> BuildingProject:
        return services.do_update_project(obj, data=form.cleaned_data, acting_user=user)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def building_totals(request: HttpRequest) -> HttpResponse:
    """Programme totals of the projects the user may see (``?area=<code>&year_from=&year_to=``)."""
    if not user_scope_paths(request.user, permission_name(BuildingProject, "view")):
        raise PermissionDenied
    projects = BuildingProject.objects.restrict(request.user, "view")
    area = None
    code = request.GET.get("area", "").strip()
    if code:
        area = Area.objects.filter(code=code).first()
        projects = projects.filter(area__path__startswith=area.path) if area else projects.none()
    totals = selectors.programme_totals(
        projects, first_year=_int(request.GET.get("year_from")), last_year=_int(request.GET.get("year_to"))
    )
    chart = {
        "title": str(_("Investment by planning year (yuan)")),
        "categories": [str(r["planning_year"]) for r in totals["by_year"]],
        "series": [
            {"name": str(_("investment (yuan)")), "data": [float(r["investment_yuan"] or 0) for r in totals["by_year"]]}
        ],
    }
    return render(request, "education_groupwork/building_totals.html", {"totals": totals, "area": area, "chart": chart})


# --- overview and group dashboard --------------------------------------------------------------------
def _year(request: HttpRequest) -> int:
    return _int(request.GET.get("year")) or timezone.localdate().year


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The groups the user may see, with this year's plan completion, visits, fund and resources."""
    if not user_scope_paths(request.user, permission_name(EducationGroup, "view")):
        raise PermissionDenied
    year = _year(request)
    rows = [
        {"group": group, **selectors.group_dashboard(group, request.user, year=year)}
        for group in selectors.visible_groups(request.user)[:60]
    ]
    return render(request, "education_groupwork/overview.html", {"rows": rows, "year": year})


@login_required
def group_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """One group's work: members, plan completion per school, visits, research days, fund, resources."""
    group = access_object(
        request.user,
        EducationGroup,
        {"pk": pk},
        "view",
        queryset=EducationGroup.objects.select_related("area", "lead_school", "head_principal"),
    )
    year = _year(request)
    context = {"group": group, **selectors.group_dashboard(group, request.user, year=year)}
    context["fund_years"] = (
        selectors.fund_by_year(group) if user_scope_paths(request.user, permission_name(FundAllocation, "view")) else []
    )
    context["can_add_resource"] = bool(user_scope_paths(request.user, permission_name(CourseResource, "add")))
    return render(request, "education_groupwork/group_dashboard.html", context)


def extra_urls() -> list[Any]:
    return [
        path("", overview, name="overview"),
        path("groups/<int:pk>/", group_dashboard, name="group_dashboard"),
        path("resources/<int:pk>/file/", resource_file, name="resource_file"),
        path("building-projects/totals/", building_totals, name="building_totals"),
    ]


__all__ = [
    "BuildingProjectViews",
    "CourseResourceViews",
    "DiagnosisVisitViews",
    "FundAllocationViews",
    "FundSpendingViews",
    "GroupPlanViews",
    "ResearchDayViews",
    "extra_urls",
]
