"""Pages of the finance module (``/finance/``).

- ``projects/`` the project list (filters: year, budget type, funding source, department, monitored,
  key) and the project page: scope decision, budget history, spending chart, the monitoring figures on
  ``?on=`` with their reasons, the flags, and forms to add the dated rows;
- ``watchlist/?on=`` the finance bureau's key-monitoring list; ``flags/?on=`` the irregularity flags;
- ``key-marks/`` the departments' key projects; ``asset-standards/`` the allocation standards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.errors import DomainError
from jiceng.core.policies.services import PolicyMissing
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.core.views.generic import ObjectDetailView
from jiceng.directory.dashboard import scope_root
from jiceng.finance import filtersets as f
from jiceng.finance import flags as flag_rules
from jiceng.finance import rules, selectors, services
from jiceng.finance.models import (
    AssetStandard,
    BudgetAdjustment,
    BudgetProject,
    CarryOverForecast,
    Disbursement,
    KeyMark,
    Spending,
)

DATE = forms.DateInput(attrs={"type": "date"})
PROJECT_PERM = "finance.view_budgetproject"


def chosen_date(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def _form_errors(form: Any, exc: Exception) -> None:
    if isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    elif isinstance(exc, DjangoValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)  # type: ignore[arg-type]


# --- projects ------------------------------------------------------------------------------------
class BudgetProjectTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = BudgetProject
        fields = ("name", "unit", "year", "budget_type", "funding_source", "expenditure_kind", "budget", "major")


class BudgetProjectForm(forms.ModelForm):
    class Meta:
        model = BudgetProject
        fields = [
            "name",
            "code",
            "unit",
            "year",
            "budget_type",
            "funding_source",
            "transfer_level",
            "expenditure_kind",
            "budget",
            "major",
            "incremental_policy",
            "adopted_on",
            "allowed_purposes",
            "description",
        ]
        widgets = {"adopted_on": DATE}


PROJECT_FIELDS = [
    "name",
    "code",
    "unit",
    "area",
    "year",
    "budget_type",
    "funding_source",
    "transfer_level",
    "expenditure_kind",
    "budget",
    "major",
    "incremental_policy",
    "adopted_on",
    "allowed_purposes",
    "description",
]


class BudgetProjectViews(ModelViews):
    model = BudgetProject
    filterset = f.BudgetProjectFilterSet
    table = BudgetProjectTable
    form = BudgetProjectForm
    url_plural = "projects"
    select_related = ["unit", "area"]
    detail_template = "finance/project_detail.html"
    detail_fields = PROJECT_FIELDS

    @classmethod
    def create(cls, form: Any, user: Any) -> BudgetProject:
        return services.do_create_project(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> BudgetProject:
        return services.do_update_project(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_project(obj, acting_user=user)

    @classmethod
    def urls(cls) -> list[Any]:
        detail = cls.name("detail")
        return [
            path(p.pattern._route, ProjectDetailView.as_view(views=cls), name=detail) if p.name == detail else p
            for p in super().urls()
        ]


def spending_chart(project: BudgetProject, on: dt.date) -> dict[str, Any]:
    """Cumulative spending and disbursement by month against the current budget, up to ``on``."""
    months = list(range(1, (on.month if on.year == project.year else 12) + 1)) if on.year >= project.year else []
    categories, spent_series, disbursed_series, budget_series = [], [], [], []
    for month in months:
        end = (
            dt.date(project.year, 12, 31) if month == 12 else dt.date(project.year, month + 1, 1) - dt.timedelta(days=1)
        )
        end = min(end, on)
        categories.append(f"{month}月")
        spent_series.append(float(selectors.spent(project, end)))
        disbursed_series.append(float(selectors.disbursed(project, end)))
        budget_series.append(float(selectors.current_budget(project, end)))
    return {
        "title": str(_("Cumulative spending against the budget (yuan)")),
        "type": "line",
        "categories": categories,
        "series": [
            {"name": str(_("Current budget")), "data": budget_series},
            {"name": str(_("Disbursed")), "data": disbursed_series},
            {"name": str(_("Spent")), "data": spent_series},
        ],
    }


class ProjectDetailView(ObjectDetailView):
    """The project page, with the monitoring figures on ``?on=`` (default today)."""

    def base_context(self, **extra: Any) -> dict[str, Any]:
        context = super().base_context(**extra)
        project = extra.get("object")
        if not isinstance(project, BudgetProject):
            return context
        on = chosen_date(self.request)
        monitored, scope_reasons = rules.scope_decision(project, on)
        try:
            figures = selectors.monitoring(project, on)
        except PolicyMissing as exc:  # an administrator must add the rule; the rest of the page still shows
            figures, context["policy_missing"] = None, str(exc)
        context.update(
            on=on,
            figures=figures,
            monitored=monitored,
            scope_reasons=scope_reasons,
            disbursed=selectors.disbursed(project, on),
            carry_over=selectors.carry_over_forecast(project, on),
            adjustments=list(project.adjustments.order_by("on", "pk")),
            disbursements=list(project.disbursements.order_by("on", "pk")),
            spendings=list(project.spendings.prefetch_related("asset_purchases").order_by("on", "pk")),
            carry_overs=list(project.carry_overs.order_by("on", "pk")),
            flags=flag_rules.project_flags(BudgetProject.objects.filter(pk=project.pk), on),
            key_mark=project.key_marks.first(),
            chart=spending_chart(project, on),
            row_kinds=ROW_FORMS,
        )
        return context


# --- dated rows ----------------------------------------------------------------------------------
class AdjustmentForm(forms.ModelForm):
    class Meta:
        model = BudgetAdjustment
        fields = ["on", "kind", "amount", "note"]
        widgets = {"on": DATE}


class DisbursementForm(forms.ModelForm):
    class Meta:
        model = Disbursement
        fields = ["on", "amount", "note"]
        widgets = {"on": DATE}


class SpendingForm(forms.ModelForm):
    asset_item = forms.CharField(label=_("asset bought (item)"), max_length=100, required=False)
    asset_quantity = forms.IntegerField(label=_("quantity"), min_value=1, required=False)
    asset_unit_price = forms.DecimalField(label=_("unit price (yuan)"), max_digits=16, decimal_places=2, required=False)

    class Meta:
        model = Spending
        fields = ["on", "amount", "purpose", "note"]
        widgets = {"on": DATE}

    def assets(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        if not data.get("asset_item"):
            return []
        return [
            {
                "item": data["asset_item"],
                "quantity": data.get("asset_quantity") or 1,
                "unit_price": data.get("asset_unit_price"),
            }
        ]


class CarryOverForm(forms.ModelForm):
    class Meta:
        model = CarryOverForecast
        fields = ["on", "amount", "note"]
        widgets = {"on": DATE}


ROW_FORMS: dict[str, tuple[Any, Any, Any]] = {
    "adjustment": (AdjustmentForm, services.do_add_adjustment, _("Add a budget adjustment")),
    "disbursement": (DisbursementForm, services.do_add_disbursement, _("Record a disbursement")),
    "spending": (SpendingForm, services.do_add_spending, _("Record spending")),
    "carry-over": (CarryOverForm, services.do_add_carry_over, _("Record a carry-over forecast")),
}


def _row_data(form: Any) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form._meta.fields}


@login_required
def row_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ROW_FORMS:
        raise Http404
    project = access_object(request.user, BudgetProject, {"pk": pk}, "change")
    form_class, service, title = ROW_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kwargs = {"assets": form.assets()} if kind == "spending" else {}
        try:
            service(project, data=_row_data(form), acting_user=request.user, **kwargs)
        except (DomainError, DjangoValidationError) as exc:
            if isinstance(exc, DomainError) and exc.status == 403:
                raise PermissionDenied from exc
            _form_errors(form, exc)
        else:
            return HttpResponseRedirect(project.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "object": project, "title": title, "back": project.get_absolute_url()}
    return render(request, "finance/form.html", context, status=status)


class KeyMarkForm(forms.ModelForm):
    class Meta:
        model = KeyMark
        fields = ["marked_on", "key_policy", "major_project", "findings", "low_performance", "weak_management", "note"]
        widgets = {"marked_on": DATE}


@login_required
def mark_key(request: HttpRequest, pk: int) -> HttpResponse:
    project = access_object(request.user, BudgetProject, {"pk": pk}, "change")
    form = KeyMarkForm(request.POST or None, instance=project.key_marks.first())
    if request.method == "POST" and form.is_valid():
        try:
            services.do_mark_key(project, data=form.cleaned_data, acting_user=request.user)
        except (DomainError, DjangoValidationError) as exc:
            _form_errors(form, exc)
        else:
            return HttpResponseRedirect(project.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "object": project, "title": _("Mark as a key project"), "back": project.get_absolute_url()}
    return render(request, "finance/form.html", context, status=status)


# --- key marks, asset standards ---------------------------------------------------------------------
class KeyMarkTable(tables.Table):
    project = tables.Column(linkify=lambda record: record.get_absolute_url())
    unit = tables.Column(accessor="project__unit", verbose_name=_("department"))
    criteria = tables.Column(empty_values=(), orderable=False, verbose_name=_("criteria"))

    class Meta:
        model = KeyMark
        fields = ("project", "unit", "marked_on", "criteria", "note")

    def render_criteria(self, record: KeyMark) -> str:
        return "、".join(str(KeyMark._meta.get_field(name).verbose_name) for name in record.criteria)


class KeyMarkEditForm(forms.ModelForm):
    class Meta:
        model = KeyMark
        fields = [
            "project",
            "marked_on",
            "key_policy",
            "major_project",
            "findings",
            "low_performance",
            "weak_management",
            "note",
        ]
        widgets = {"marked_on": DATE}


class KeyMarkViews(ModelViews):
    model = KeyMark
    filterset = f.KeyMarkFilterSet
    table = KeyMarkTable
    form = KeyMarkEditForm
    url_plural = "key-marks"
    select_related = ["project__unit"]
    detail_fields = [
        "project",
        "marked_on",
        "key_policy",
        "major_project",
        "findings",
        "low_performance",
        "weak_management",
        "note",
    ]

    @classmethod
    def create(cls, form: Any, user: Any) -> KeyMark:
        data = dict(form.cleaned_data)
        return services.do_mark_key(data.pop("project"), data=data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_unmark_key(obj, acting_user=user)


class AssetStandardTable(tables.Table):
    item = tables.Column(linkify=True)

    class Meta:
        model = AssetStandard
        fields = ("item", "max_unit_price", "area", "effective_from", "source_document", "source_status")


class AssetStandardForm(forms.ModelForm):
    class Meta:
        model = AssetStandard
        fields = ["area", "item", "max_unit_price", "source_document", "source_status", "effective_from"]
        widgets = {"effective_from": DATE}


class AssetStandardViews(ModelViews):
    model = AssetStandard
    filterset = f.AssetStandardFilterSet
    table = AssetStandardTable
    form = AssetStandardForm
    url_plural = "asset-standards"
    select_related = ["area"]
    detail_fields = ["area", "item", "max_unit_price", "source_document", "source_status", "effective_from"]

    @classmethod
    def create(cls, form: Any, user: Any) -> AssetStandard:
        return services.do_create_asset_standard(data=form.cleaned_data, acting_user=user)


# --- the watch list and the flags ---------------------------------------------------------------------
def _projects(request: HttpRequest) -> tuple[Any, Any]:
    root = scope_root(request, PROJECT_PERM)
    if root is None:
        raise PermissionDenied
    return root, BudgetProject.objects.restrict(request.user, "view").filter(area__path__startswith=root.path)


@login_required
def watch_list(request: HttpRequest) -> HttpResponse:
    root, projects = _projects(request)
    on = chosen_date(request)
    try:
        entries, missing = selectors.watch_list(projects, on), ""
    except PolicyMissing as exc:
        entries, missing = [], str(exc)
    context = {"root": root, "on": on, "entries": entries, "policy_missing": missing}
    return render(request, "finance/watchlist.html", context)


@login_required
def flag_list(request: HttpRequest) -> HttpResponse:
    root, projects = _projects(request)
    on = chosen_date(request)
    found = flag_rules.project_flags(projects.filter(year=on.year), on)
    kind = request.GET.get("kind", "")
    if kind:
        found = [flag for flag in found if flag.kind == kind]
    from jiceng.finance.choices import FlagKind

    return render(
        request, "finance/flags.html", {"root": root, "on": on, "flags": found, "kinds": FlagKind.choices, "kind": kind}
    )


def page_urls() -> list[Any]:
    return [
        path("watchlist/", watch_list, name="watchlist"),
        path("flags/", flag_list, name="flags"),
        path("projects/<int:pk>/add/<slug:kind>/", row_add, name="project_row_add"),
        path("projects/<int:pk>/mark-key/", mark_key, name="project_mark_key"),
    ]
