"""Pages of the monitoring results (under ``/finance/results/``).

- ``/`` the results dashboard (``?area=<code>&on=<date>``): findings open and overdue, target
  deviations, idle-fund warnings, notes for next year;
- ``targets/`` performance targets (detail: the trend of the progress reports and the deviation),
  ``deviations/`` the flagged targets on a date, ``summary/`` the mid-year summary (1–7月 汇总分析);
- ``findings/`` the rectification cases (detail: numbers, measures, the next step and what stops
  it, responses, alerts; respond / close / reject forms);
- ``idle-fund-warnings/`` (scan form; a warning becomes a finding), ``reports/`` (generate;
  download as XLSX, Word or PDF), ``review-notes/`` and ``review/`` (next year's budget review).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.alerts.models import Alert, AlertState
from jiceng.core.errors import DomainError
from jiceng.core.scope import user_scope_paths
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.core.workflow import GuardFailed
from jiceng.directory.dashboard import parent_in_scope, scope_root
from jiceng.finance.results import reports, selectors, services
from jiceng.finance.results.filtersets import (
    FindingFilterSet,
    IdleFundWarningFilterSet,
    MonitoringReportFilterSet,
    PerformanceTargetFilterSet,
    ReviewNoteFilterSet,
)
from jiceng.finance.results.forms import (
    CloseForm,
    FindingForm,
    GenerateReportForm,
    PerformanceTargetForm,
    RejectForm,
    RespondForm,
    ReviewNoteForm,
    ScanForm,
    TargetReportForm,
    WarningFindingForm,
)
from jiceng.finance.results.models import (
    Finding,
    IdleFundWarning,
    MonitoringReport,
    PerformanceTarget,
    ReviewNote,
)
from jiceng.finance.results.tables import (
    FindingTable,
    IdleFundWarningTable,
    MonitoringReportTable,
    PerformanceTargetTable,
    ReviewNoteTable,
)

OPEN_ALERT_STATES = [AlertState.OPEN, AlertState.ACKNOWLEDGED, AlertState.HANDLING]


def _on(request: HttpRequest) -> dt.date:
    raw = request.GET.get("on", "")
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _root(request: HttpRequest, perm: str) -> Any:
    root = scope_root(request, perm)
    if root is None:
        raise PermissionDenied
    return root


def _form_errors(form: Any, exc: Exception) -> None:
    if isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    elif isinstance(exc, DjangoValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)  # type: ignore[arg-type]


def _action_form(request: HttpRequest, form: Any, perform: Any, *, obj: Any, title: Any) -> HttpResponse:
    """Run ``perform()`` on a valid POST and redirect to what it returns; a rule's refusal is a 409
    with its reasons on the page (nothing written), bad input a 400 on its field."""
    reasons: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            target = perform()
        except GuardFailed as exc:
            reasons = exc.reasons
        except (DomainError, DjangoValidationError) as exc:
            if isinstance(exc, DomainError) and exc.status == 403:
                raise PermissionDenied from exc
            _form_errors(form, exc)
        else:
            return HttpResponseRedirect(target.get_absolute_url())
    status = 409 if reasons else (400 if request.method == "POST" else 200)
    back = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else reverse("finance_results:dashboard")
    context = {"form": form, "object": obj, "title": title, "back": back, "reasons": reasons}
    return render(request, "finance_results/form.html", context, status=status)


# --- the dashboard ------------------------------------------------------------------------
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    perm = "finance_results.view_finding"
    root = _root(request, perm)
    on = _on(request)
    figures = selectors.dashboard_figures(request.user, root, on)
    context = {
        "root": root,
        "up": parent_in_scope(root, request.user, perm),
        "on": on,
        **figures,
        "reports": MonitoringReport.objects.restrict(request.user, "view").filter(area__path__startswith=root.path)[:6],
        "may_scan": bool(user_scope_paths(request.user, "finance_results.add_idlefundwarning")),
    }
    return render(request, "finance_results/dashboard.html", context)


# --- targets ------------------------------------------------------------------------------
class PerformanceTargetViews(ModelViews):
    model = PerformanceTarget
    filterset = PerformanceTargetFilterSet
    table = PerformanceTargetTable
    form = PerformanceTargetForm
    url_plural = "targets"
    select_related = ["project__unit", "area"]
    detail_template = "finance_results/performancetarget_detail.html"
    detail_fields = ["project", "area", "category", "indicator", "target_value", "unit", "direction", "weight"]

    @classmethod
    def create(cls, form: Any, user: Any) -> PerformanceTarget:
        return services.do_create_target(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> PerformanceTarget:
        return services.do_update_target(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_target(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        today = timezone.localdate()
        series = selectors.trend(obj)
        latest = obj.reports.filter(reported_on__lte=today).order_by("-reported_on").first()
        chart = {
            "title": str(_("Progress and forecast")),
            "categories": [r["reported_on"].isoformat() for r in series],
            "series": [
                {"name": str(_("value achieved")), "data": [float(r["achieved"]) for r in series]},
                {"name": str(_("forecast year-end value")), "data": [float(r["forecast"]) for r in series]},
                {"name": str(_("target value")), "data": [float(obj.target_value) for _r in series]},
            ],
        }
        return {
            "target": obj,
            "series": series,
            "deviation": selectors.rules.deviation(obj, latest, on=today) if latest is not None else None,
            "chart": chart,
            "findings": Finding.objects.restrict(user, "view").filter(target=obj),
        }


@login_required
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    target = access_object(request.user, PerformanceTarget, {"pk": pk}, "change")
    form = TargetReportForm(request.POST or None, initial={"reported_on": timezone.localdate()})

    def perform() -> Any:
        services.do_report_progress(data={**form.cleaned_data, "target": target}, acting_user=request.user)
        return target

    return _action_form(request, form, perform, obj=target, title=_("Record a progress report"))


@login_required
def deviations(request: HttpRequest) -> HttpResponse:
    perm = "finance_results.view_performancetarget"
    root = _root(request, perm)
    on = _on(request)
    targets = selectors.visible(PerformanceTarget, request.user, root.path).filter(project__year=on.year)
    context = {
        "root": root,
        "up": parent_in_scope(root, request.user, perm),
        "on": on,
        "deviations": selectors.deviations(targets, on),
        "may_issue": bool(user_scope_paths(request.user, "finance_results.add_finding")),
    }
    return render(request, "finance_results/deviations.html", context)


@login_required
def summary(request: HttpRequest) -> HttpResponse:
    """The mid-year summary (1–7月 汇总分析) of target completion per department and project."""
    perm = "finance_results.view_performancetarget"
    root = _root(request, perm)
    on = _on(request)
    targets = selectors.visible(PerformanceTarget, request.user, root.path).filter(project__year=on.year)
    context = {
        "root": root,
        "up": parent_in_scope(root, request.user, perm),
        "on": on,
        **selectors.target_summary(targets, on),
    }
    return render(request, "finance_results/summary.html", context)


# --- findings ------------------------------------------------------------------------------
class FindingViews(ModelViews):
    model = Finding
    filterset = FindingFilterSet
    table = FindingTable
    form = FindingForm
    url_plural = "findings"
    select_related = ["project__unit", "department", "area", "target", "warning"]
    detail_template = "finance_results/finding_detail.html"
    detail_fields = [
        "project",
        "department",
        "kind",
        "status",
        "text",
        "target",
        "warning",
        "issued_on",
        "issued_by",
        "due_on",
        "due_workdays",
        "round",
        "responded_on",
        "closed_on",
        "closing_note",
    ]

    @classmethod
    def create(cls, form: Any, user: Any) -> Finding:
        return services.do_issue_finding(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> Finding:
        return services.do_update_finding(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_finding(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        today = timezone.localdate()
        steps = []
        for name, label in (("respond", _("respond")), ("close", _("close")), ("reject", _("reject the response"))):
            steps.append(
                {"name": name, "label": label, "reasons": services.refusals(obj, name, acting_user=user, on=today)}
            )
        alerts = Alert.objects.restrict(user, "view").filter(
            content_type=ContentType.objects.get_for_model(Finding), object_id=str(obj.pk), state__in=OPEN_ALERT_STATES
        )
        return {
            "finding": obj,
            "steps": steps,
            "on": today,
            "overdue": obj.is_overdue(today),
            "responses": list(obj.responses.select_related("responded_by")),
            "alerts": list(alerts),
            "numbers": sorted((obj.numbers or {}).items()),
            "measures": obj.measure_labels(),
            "notes": ReviewNote.objects.restrict(user, "view").filter(finding=obj),
        }


def _finding(request: HttpRequest, pk: int) -> Finding:
    return selectors.access_finding(request.user, pk, "view")


@login_required
def finding_respond(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    form = RespondForm(request.POST or None)

    def perform() -> Any:
        return services.do_respond(
            finding, text=form.cleaned_data["text"], on=form.cleaned_data["on"], acting_user=request.user
        )

    return _action_form(request, form, perform, obj=finding, title=_("Record the department's response"))


@login_required
def finding_close(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    form = CloseForm(request.POST or None)

    def perform() -> Any:
        return services.do_close(
            finding, note=form.cleaned_data.get("note", ""), on=form.cleaned_data["on"], acting_user=request.user
        )

    return _action_form(request, form, perform, obj=finding, title=_("Close the finding"))


@login_required
def finding_reject(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    form = RejectForm(request.POST or None)

    def perform() -> Any:
        return services.do_reject(
            finding, reason=form.cleaned_data["reason"], on=form.cleaned_data["on"], acting_user=request.user
        )

    return _action_form(request, form, perform, obj=finding, title=_("Reject the response"))


# --- idle-fund warnings ---------------------------------------------------------------------
class IdleFundWarningViews(ModelViews):
    model = IdleFundWarning
    filterset = IdleFundWarningFilterSet
    table = IdleFundWarningTable
    url_plural = "idle-fund-warnings"
    select_related = ["project__unit", "area"]
    detail_template = "finance_results/idlefundwarning_detail.html"
    detail_fields = ["project", "area", "rule", "scanned_on", "explanation"]

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        finding = Finding.objects.restrict(user, "view").filter(warning=obj).first()
        return {"warning": obj, "numbers": sorted((obj.numbers or {}).items()), "finding": finding}


@login_required
def idle_scan(request: HttpRequest) -> HttpResponse:
    """Run the idle-fund scan on a date over the user's scope (``?area=<code>``)."""
    root = _root(request, "finance_results.add_idlefundwarning")
    form = ScanForm(request.POST or None)
    found: list[Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            found = services.do_scan_idle_funds(
                on=form.cleaned_data["on"], area_path=root.path, acting_user=request.user
            )
        except (DomainError, DjangoValidationError) as exc:
            _form_errors(form, exc)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "finance_results/scan.html",
        {"form": form, "root": root, "found": found, "title": _("Scan for idle funds")},
        status=status,
    )


@login_required
def warning_finding(request: HttpRequest, pk: int) -> HttpResponse:
    warning = access_object(
        request.user, IdleFundWarning, {"pk": pk}, "view", queryset=IdleFundWarning.objects.select_related("project")
    )
    form = WarningFindingForm(request.POST or None)

    def perform() -> Any:
        return services.do_issue_from_warning(
            warning, measures=form.cleaned_data["measures"], on=form.cleaned_data["on"], acting_user=request.user
        )

    return _action_form(request, form, perform, obj=warning, title=_("Issue a finding from this warning"))


# --- monitoring reports --------------------------------------------------------------------
class MonitoringReportViews(ModelViews):
    model = MonitoringReport
    filterset = MonitoringReportFilterSet
    table = MonitoringReportTable
    url_plural = "reports"
    select_related = ["area"]
    detail_template = "finance_results/monitoringreport_detail.html"
    detail_fields = ["title", "area", "year", "period_end", "generated_at", "generated_by"]

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        figures = obj.figures or {}
        return {
            "report": obj,
            "figures": figures,
            "summary_header": reports.summary_header(),
            "summary_rows": reports.summary_rows(figures) if figures else [],
            "tables": reports.detail_tables(figures) if figures else [],
            "formats": reports.FORMATS,
        }


@login_required
def report_generate(request: HttpRequest) -> HttpResponse:
    root = _root(request, "finance_results.add_monitoringreport")
    today = timezone.localdate()
    month = selectors.rules.policy(selectors.rules.SUMMARY_MONTH, root, today).value
    default_end = selectors.rules.month_end(today.year if today.month > month else today.year - 1, month)
    form = GenerateReportForm(request.POST or None, initial={"period_end": default_end})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.do_generate_report(
                area=root,
                period_end=form.cleaned_data["period_end"],
                title=form.cleaned_data.get("title", ""),
                acting_user=request.user,
            )
        except (DomainError, DjangoValidationError) as exc:
            if isinstance(exc, DomainError) and exc.status == 403:
                raise PermissionDenied from exc
            _form_errors(form, exc)
        else:
            return HttpResponseRedirect(report.get_absolute_url())
    return render(
        request,
        "finance_results/form.html",
        {
            "form": form,
            "object": root,
            "title": _("Generate a monitoring report"),
            "back": reverse("finance_results:monitoringreport_list"),
        },
        status=400 if request.method == "POST" else 200,
    )


def download_response(report: MonitoringReport, fmt: str) -> HttpResponse:
    if fmt not in reports.FORMATS:
        raise Http404
    content, content_type = reports.render(report, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(report.title)}.{fmt}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = access_object(request.user, MonitoringReport, {"pk": pk}, "view")
    return download_response(report, fmt)


# --- next year's budget review ---------------------------------------------------------------
class ReviewNoteViews(ModelViews):
    model = ReviewNote
    filterset = ReviewNoteFilterSet
    table = ReviewNoteTable
    form = ReviewNoteForm
    url_plural = "review-notes"
    select_related = ["department", "project", "area", "finding"]
    detail_fields = ["for_year", "department", "project", "recommendation", "amount", "text", "finding", "area"]

    @classmethod
    def create(cls, form: Any, user: Any) -> ReviewNote:
        return services.do_create_review_note(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> ReviewNote:
        return services.do_update_review_note(obj, data=form.cleaned_data, acting_user=user)


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """Next year's budget review: the notes for ``?year=`` (default next year), per department."""
    perm = "finance_results.view_reviewnote"
    root = _root(request, perm)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year + 1
    notes = (
        selectors.visible(ReviewNote, request.user, root.path)
        .filter(for_year=year)
        .select_related("department", "project", "finding")
        .order_by("department__name", "project__name", "pk")
    )
    groups: dict[Any, list[ReviewNote]] = {}
    for note in notes:
        groups.setdefault(note.department, []).append(note)
    return render(
        request,
        "finance_results/review.html",
        {
            "root": root,
            "year": year,
            "groups": list(groups.items()),
            "count": len(notes),
            "up": parent_in_scope(root, request.user, perm),
        },
    )


def result_urls() -> list[Any]:
    return [
        path("", dashboard, name="dashboard"),
        path("deviations/", deviations, name="deviations"),
        path("summary/", summary, name="summary"),
        path("review/", review, name="review"),
        path("targets/<int:pk>/reports/add/", report_add, name="report_add"),
        path("findings/<int:pk>/respond/", finding_respond, name="finding_respond"),
        path("findings/<int:pk>/close/", finding_close, name="finding_close"),
        path("findings/<int:pk>/reject/", finding_reject, name="finding_reject"),
        path("idle-fund-warnings/scan/", idle_scan, name="idle_scan"),
        path("idle-fund-warnings/<int:pk>/finding/", warning_finding, name="warning_finding"),
        path("reports/generate/", report_generate, name="report_generate"),
        path("reports/<int:pk>/download.<str:fmt>", report_download, name="report_download"),
    ]


__all__ = [
    "FindingViews",
    "IdleFundWarningViews",
    "MonitoringReportViews",
    "PerformanceTargetViews",
    "ReviewNoteViews",
    "result_urls",
]
