"""Hazardous-work pages: operation reports, work permits (with their rule, time left, workflow
buttons and history), the transition form, the live board of open permits (refreshed by HTMX)
and the distribution of reported operations by area, work type and enterprise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiceng.core.errors import DomainError
from jiceng.core.policies.services import PolicyMissing
from jiceng.core.scope import permission_name, user_scope_paths
from jiceng.core.views import ModelViews
from jiceng.core.workflow import GuardFailed
from jiceng.core.workflow.services import check_permission as may_run
from jiceng.core.workflow.services import list_transitions
from jiceng.directory.dashboard import parent_in_scope, scope_root
from jiceng.safety.permits import rules, selectors, services
from jiceng.safety.permits.choices import OPEN_STATES, PermitState
from jiceng.safety.permits.filtersets import OperationReportFilterSet, WorkPermitFilterSet
from jiceng.safety.permits.forms import OperationReportForm, TransitionForm, WorkPermitForm
from jiceng.safety.permits.models import OperationReport, WorkPermit
from jiceng.safety.permits.tables import OperationReportTable, WorkPermitTable

VIEW_PERMITS = "safety_permits.view_workpermit"
VIEW_REPORTS = "safety_permits.view_operationreport"
BUTTONS = [  # target state, label, style
    (PermitState.SUBMITTED, gettext_lazy("Submit for approval"), "primary"),
    (PermitState.APPROVED, gettext_lazy("Approve"), "primary"),
    (PermitState.REJECTED, gettext_lazy("Reject"), "danger"),
    (PermitState.ACTIVE, gettext_lazy("Start the work"), "primary"),
    (PermitState.CLOSED, gettext_lazy("Close (work finished)"), ""),
    (PermitState.CANCELLED, gettext_lazy("Cancel"), "danger"),
]


# --- reports ----------------------------------------------------------------------------------
class OperationReportViews(ModelViews):
    model = OperationReport
    filterset = OperationReportFilterSet
    table = OperationReportTable
    form = OperationReportForm
    url_plural = "reports"
    select_related = ["enterprise", "area"]
    detail_template = "safety_permits/operationreport_detail.html"
    detail_fields = ["enterprise", "area", "work_type", "location", "starts_at", "ends_at", "workers", "description"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> OperationReport:
        return services.do_create_report(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> OperationReport:
        return services.do_update_report(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_report(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        permits = list(selectors.report_permits(user, obj))
        return {
            "covering": permits,
            "has_started": obj.starts_at <= timezone.now(),
            "can_add_permit": bool(user_scope_paths(user, permission_name(WorkPermit, "add"))),
        }


# --- permits ----------------------------------------------------------------------------------
class WorkPermitViews(ModelViews):
    model = WorkPermit
    filterset = WorkPermitFilterSet
    table = WorkPermitTable
    form = WorkPermitForm
    url_plural = "permits"
    select_related = ["enterprise", "area"]
    detail_template = "safety_permits/workpermit_detail.html"
    detail_fields = [
        "enterprise",
        "number",
        "work_type",
        "level",
        "hot_work_level",
        "blind_plate_mode",
        "height_m",
        "load_t",
        "is_special_power",
        "location",
        "content",
        "workers",
        "applicant",
        "guardian",
        "valid_from",
        "valid_until",
        "state",
        "approved_at",
        "started_at",
        "closed_at",
    ]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> WorkPermit:
        return services.do_create_permit(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> WorkPermit:
        return services.do_update_permit(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_permit(obj, acting_user=user)

    @classmethod
    def detail_rows(cls, obj: Any, user: Any) -> list[tuple[str, Any]]:
        """The generic rows without the inputs of the other work types."""
        others = {name for name, (owner, _empty) in services.TYPE_FIELDS.items() if owner != obj.work_type}
        labels = {str(WorkPermit._meta.get_field(name).verbose_name) for name in others}
        return [(label, value) for label, value in super().detail_rows(obj, user) if label not in labels]

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return permit_context(obj, user, now=timezone.now())


def permit_context(permit: WorkPermit, user: Any, *, now: dt.datetime) -> dict[str, Any]:
    """The permit's validity rule, time left, the buttons the user may press, covered reports."""
    try:
        rule = rules.validity_policy(permit)
        rule_text = rule.explain() if rule else _("The standard sets no single validity for this work type.")
    except PolicyMissing as exc:
        rule_text = exc.message
    buttons = []  # the steps possible from this state that the user may take (the rules are checked on POST)
    for to, label, style in BUTTONS:
        step = getattr(WorkPermit, services.TRANSITIONS[to])._django_fsm.get_transition(permit.state)
        if step is not None and may_run(permit, step, user):
            buttons.append({"to": to.value, "label": label, "style": style})
    approvals = [t for t in list_transitions(permit) if t.transition == "approve"]
    return {
        "rule_text": rule_text,
        "remaining": permit.valid_until - now,
        "is_open": permit.state in OPEN_STATES,
        "is_expired": permit.valid_until <= now,
        "buttons": buttons,
        "approved_by": approvals[-1].actor_repr if approvals else "",
        "reports": selectors.permit_reports(user, permit),
    }


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Run one workflow step of a permit; a refusal lists every rule broken and changes nothing."""
    permit = selectors.access_permit(request.user, pk)
    form = TransitionForm(request.POST)
    reasons: list[Any] = []
    message = ""
    status = 400
    if form.is_valid():
        try:
            services.do_transition(
                permit, to=form.cleaned_data["to"], comment=form.cleaned_data["comment"], acting_user=request.user
            )
        except GuardFailed as exc:
            reasons, status = exc.reasons, exc.status
        except DomainError as exc:
            message, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(permit.get_absolute_url())
    else:
        message = _("Choose a step.")
    context = {"permit": permit, "reasons": reasons, "message": message, "to": request.POST.get("to", "")}
    return render(request, "safety_permits/transition.html", context, status=status)


# --- the live board ---------------------------------------------------------------------------
def _board_root(request: HttpRequest) -> Any:
    root = scope_root(request, VIEW_PERMITS)
    if root is None:
        raise PermissionDenied
    return root


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Approved and active permits with the time each has left; the rows refresh every few seconds."""
    root = _board_root(request)
    now = timezone.now()
    up = parent_in_scope(root, request.user, VIEW_PERMITS)
    context = {"root": root, "up": up, "rows": selectors.board_rows(request.user, root.path, now=now), "now": now}
    return render(request, "safety_permits/board.html", context)


@login_required
def board_rows(request: HttpRequest) -> HttpResponse:
    """The board's table body alone (the HTMX refresh)."""
    root = _board_root(request)
    now = timezone.now()
    context = {"root": root, "rows": selectors.board_rows(request.user, root.path, now=now), "now": now}
    return render(request, "safety_permits/partials/board_rows.html", context)


# --- distribution -----------------------------------------------------------------------------
def _period(request: HttpRequest) -> tuple[dt.datetime | None, dt.datetime | None, str, str]:
    """``?start=YYYY-MM-DD&end=YYYY-MM-DD`` (end inclusive) as aware datetimes."""

    def day(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    start, end = day("start"), day("end")
    aware = timezone.get_current_timezone()
    start_at = dt.datetime.combine(start, dt.time(), tzinfo=aware) if start else None
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=aware) if end else None
    return start_at, end_at, start.isoformat() if start else "", end.isoformat() if end else ""


@login_required
def distribution(request: HttpRequest) -> HttpResponse:
    """Reported hazardous operations by child area (drill down with ``?area=<code>``), work type and
    enterprise, with workers and permit coverage; a bar chart and the tables."""
    root = scope_root(request, VIEW_REPORTS)
    if root is None:
        raise PermissionDenied
    start, end, start_text, end_text = _period(request)
    data = selectors.distribution(request.user, root, now=timezone.now(), start=start, end=end)
    up = parent_in_scope(root, request.user, VIEW_REPORTS)
    by_area = {
        "title": _("Hazardous operations by area"),
        "categories": [row["area"].name if row["area"] else root.name for row in data["areas"]],
        "series": [
            {"name": _("Operations"), "data": [row["operations"] for row in data["areas"]]},
            {"name": _("Covered by a permit"), "data": [row["covered"] for row in data["areas"]]},
        ],
    }
    by_type = {
        "title": _("Hazardous operations by work type"),
        "categories": [str(row["label"]) for row in data["work_types"]],
        "series": [
            {"name": _("Operations"), "data": [row["operations"] for row in data["work_types"]]},
            {"name": _("Number of workers"), "data": [row["workers"] for row in data["work_types"]]},
        ],
    }
    context = {
        **data,
        "up": up,
        "start": start_text,
        "end": end_text,
        "chart_area": by_area,
        "chart_type": by_type,
    }
    return render(request, "safety_permits/distribution.html", context)
