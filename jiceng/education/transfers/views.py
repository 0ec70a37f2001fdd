"""Transfer pages: the list (filters), the detail (the student's registration, the class's size against
the cap, the window, the decision buttons), the application form and the decision step. A refusal
lists every rule broken on the page and writes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiceng.core.errors import DomainError
from jiceng.core.policies.services import PolicyMissing
from jiceng.core.scope import permission_name, user_scope_paths
from jiceng.core.views import ModelViews
from jiceng.core.views.generic import restrict_form_choices
from jiceng.core.workflow import GuardFailed
from jiceng.core.workflow.services import check_permission as may_run
from jiceng.education.transfers import rules, selectors, services
from jiceng.education.transfers.filtersets import TransferFilterSet
from jiceng.education.transfers.forms import DecisionForm, TransferForm
from jiceng.education.transfers.models import Transfer
from jiceng.education.transfers.tables import TransferTable

BUTTONS = [  # action, label, style, needs a note
    ("approve", gettext_lazy("Approve (the bureau)"), "primary", False),
    ("reject", gettext_lazy("Reject (the bureau)"), "danger", True),
    ("withdraw", gettext_lazy("Withdraw the application"), "", False),
]


class TransferViews(ModelViews):
    model = Transfer
    filterset = TransferFilterSet
    table = TransferTable
    form = None  # applied for on its own page; never edited (withdraw and apply again)
    select_related = ["student__person", "from_school", "to_class__school", "to_school", "area"]
    detail_template = "education_transfers/transfer_detail.html"
    detail_fields = [
        "student",
        "from_school",
        "from_enrollment",
        "to_school",
        "to_class",
        "on",
        "applied_on",
        "applied_by",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
        "handover_due_on",
    ]

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return transfer_context(obj, user)


def transfer_context(transfer: Transfer, user: Any) -> dict[str, Any]:
    """The student's registration, the class against the cap, the window, the buttons the user may press."""
    context: dict[str, Any] = {
        "current": rules.current_enrollment(transfer.student),
        "buttons": [],
        "is_pending": transfer.is_pending,
    }
    try:
        context["cap"] = rules.cap_status(transfer.to_class, transfer.on)
    except PolicyMissing as exc:
        context["cap_missing"] = exc.message
    try:
        context["window"] = rules.window_of(transfer.to_school, transfer.to_class.year, transfer.on)
    except PolicyMissing as exc:
        context["window_missing"] = exc.message
    for action, label, style, needs_note in BUTTONS:
        step = getattr(Transfer, action)._django_fsm.get_transition(transfer.status)
        if step is not None and may_run(transfer, step, user):
            context["buttons"].append({"action": action, "label": label, "style": style, "needs_note": needs_note})
    if transfer.is_pending:
        context["approval_reasons"] = rules.APPROVE.reasons(transfer)
    if transfer.handover_due_on:
        context["handover_overdue"] = transfer.handover_due_on < timezone.localdate()
    return context


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Run one step of an application; a refusal lists every rule broken and changes nothing."""
    transfer = selectors.access_transfer(request.user, pk)
    form = DecisionForm(request.POST)
    reasons: list[Any] = []
    message = ""
    status = 400
    if form.is_valid():
        try:
            services.do_decide(
                transfer, action=form.cleaned_data["action"], note=form.cleaned_data["note"], acting_user=request.user
            )
        except GuardFailed as exc:
            reasons, status = exc.reasons, exc.status
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            message, status = exc.message, exc.status
        except DjangoValidationError as exc:
            message = " ".join(exc.messages)
        else:
            return HttpResponseRedirect(transfer.get_absolute_url())
    else:
        message = _("Choose a step.")
    context = {"transfer": transfer, "reasons": reasons, "message": message, "action": request.POST.get("action", "")}
    return render(request, "education_transfers/refused.html", context, status=status)


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    """The receiving school's application (student, class, date); a refusal shows each rule broken."""
    if not user_scope_paths(request.user, permission_name(Transfer, "add")):
        raise PermissionDenied
    form = TransferForm(request.POST or None)
    restrict_form_choices(form, request.user)
    reasons: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.do_apply(data=form.cleaned_data, acting_user=request.user)
        except GuardFailed as exc:
            reasons = exc.reasons
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except DjangoValidationError as exc:
            form.add_error(None, exc)
        else:
            return HttpResponseRedirect(transfer.get_absolute_url())
    status = 409 if reasons else (400 if request.method == "POST" else 200)
    return render(request, "education_transfers/apply.html", {"form": form, "reasons": reasons}, status=status)


def transfer_urls() -> list[Any]:
    return [
        path("transfers/apply/", apply, name="transfer_apply"),
        path("transfers/<int:pk>/decide/", decide, name="transfer_decide"),
        *TransferViews.urls(),
    ]
