"""Pages of inspections, campaigns and the hazard ledger.

- ``/safety/hazards/`` the 清零 overview (drill down with ``?area=<code>``): found, rectified,
  open, overdue, listed majors — by area, sector, campaign and enterprise;
- ``hazards/`` the ledger (list, detail with the next step and what stops it, add, edit while
  reported), with the step form, the five-in-place plan, evidence and verification forms;
- ``inspections/`` (with their visual-enforcement recordings, served only through a scoped view),
  ``campaigns/`` (zeroing progress and the three S03 rates), ``targets/``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jiceng.core.alerts.models import Alert, AlertState
from jiceng.core.errors import DomainError
from jiceng.core.policies.services import PolicyMissing
from jiceng.core.scope import minimal_paths, user_can, user_scope_paths
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.core.views.generic import ObjectDetailView, restrict_form_choices
from jiceng.core.workflow import Reason
from jiceng.directory.dashboard import scope_root
from jiceng.safety.hazards import selectors, services
from jiceng.safety.hazards.choices import HazardStatus
from jiceng.safety.hazards.filtersets import (
    CampaignTargetFilterSet,
    HazardFilterSet,
    InspectionFilterSet,
    InspectionRecordingFilterSet,
    SafetyCampaignFilterSet,
)
from jiceng.safety.hazards.forms import (
    TARGETS,
    EvidenceForm,
    HazardForm,
    InspectionForm,
    PlanForm,
    RecordingForm,
    SafetyCampaignForm,
    TargetGroupForm,
    TransitionForm,
    VerifyForm,
)
from jiceng.safety.hazards.models import (
    CampaignTarget,
    Hazard,
    Inspection,
    InspectionRecording,
    RectificationEvidence,
    RectificationPlan,
    SafetyCampaign,
    TargetGroup,
)
from jiceng.safety.hazards.services import GuardFailed
from jiceng.safety.hazards.tables import (
    CampaignTargetTable,
    HazardTable,
    InspectionRecordingTable,
    InspectionTable,
    SafetyCampaignTable,
)


def _up(request: HttpRequest, root: Any, perm: str) -> Any:
    paths = minimal_paths(user_scope_paths(request.user, perm))
    parent = root.parent
    return parent if parent is not None and any(parent.path.startswith(p) for p in paths) else None


def _form_errors(form: Any, exc: Exception) -> None:
    if isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    elif isinstance(exc, DjangoValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)  # type: ignore[arg-type]


def _action_form(
    request: HttpRequest,
    form: Any,
    perform: Any,
    *,
    obj: Any,
    title: Any,
    multipart: bool = False,
) -> HttpResponse:
    """Run ``perform()`` on a valid POST and redirect to what it returns; otherwise show the form.

    A workflow refusal is a 409 with its reasons on the page, a domain or validation error a 400
    with the message on its field, a domain error marked 403 a PermissionDenied.
    """
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
    context = {"form": form, "object": obj, "title": title, "back": obj.get_absolute_url(), "reasons": reasons}
    if multipart:
        context["multipart"] = True
    return render(request, "safety_hazards/form.html", context, status=status)


# --- the overview ------------------------------------------------------------------------------
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """清零 dashboard for an area (``?area=<code>``) inside the user's scope."""
    perm = "safety_hazards.view_hazard"
    root = scope_root(request, perm)
    if root is None:
        raise PermissionDenied
    today = timezone.localdate()
    hazards = selectors.visible_hazards(request.user, root.path)
    by_child = selectors.hazards_by_child(hazards, root, on=today)
    chart_rows = [r for r in by_child if r["found"]]
    chart = {
        "title": str(_("Hazards found, rectified and open, by area")),
        "categories": [r["name"] for r in chart_rows],
        "series": [
            {"name": str(_("Found")), "data": [r["found"] for r in chart_rows]},
            {"name": str(_("Rectified and closed")), "data": [r["closed"] for r in chart_rows]},
            {"name": str(_("Open")), "data": [r["open"] for r in chart_rows]},
            {"name": str(_("Overdue")), "data": [r["overdue"] for r in chart_rows]},
        ],
    }
    context = {
        "root": root,
        "up": _up(request, root, perm),
        "on": today,
        "totals": selectors.hazard_totals(hazards, on=today),
        "by_child": by_child,
        "by_sector": selectors.hazards_by_sector(hazards, on=today),
        "by_campaign": selectors.hazards_by_campaign(hazards, on=today),
        "by_enterprise": selectors.hazards_by_enterprise(hazards, on=today),
        "campaigns": SafetyCampaign.objects.restrict(request.user, "view").select_related("area")[:12],
        "chart": chart,
    }
    return render(request, "safety_hazards/overview.html", context)


# --- campaigns -----------------------------------------------------------------------------------
class SafetyCampaignViews(ModelViews):
    model = SafetyCampaign
    filterset = SafetyCampaignFilterSet
    table = SafetyCampaignTable
    form = SafetyCampaignForm
    url_plural = "campaigns"
    select_related = ["area"]
    detail_template = "safety_hazards/safetycampaign_detail.html"
    detail_fields = ["name", "kind", "area", "organiser", "starts_on", "ends_on", "rounds", "measures", "description"]

    @classmethod
    def create(cls, form: Any, user: Any) -> SafetyCampaign:
        return services.do_create_safety_campaign(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> SafetyCampaign:
        return services.do_update_safety_campaign(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_rows(cls, obj: Any, user: Any) -> list[tuple[str, Any]]:
        rows = super().detail_rows(obj, user)
        sectors = "、".join(s.name for s in obj.key_sectors.all())
        rows.insert(7, (str(_("key sectors")), sectors))
        return rows

    @classmethod
    def urls(cls) -> list[Any]:
        detail = cls.name("detail")
        return [
            path(p.pattern._route, CampaignDetailView.as_view(views=cls), name=detail) if p.name == detail else p
            for p in super().urls()
        ]


class CampaignDetailView(ObjectDetailView):
    """The campaign page: zeroing progress and the three rates for ``?area=<code>``."""

    def base_context(self, **extra: Any) -> dict[str, Any]:
        context = super().base_context(**extra)
        campaign = extra.get("object")
        if not isinstance(campaign, SafetyCampaign):
            return context
        perm = "safety_hazards.view_campaigntarget"
        root = scope_root(self.request, perm)
        if root is None:
            return context
        if not root.path.startswith(campaign.area.path) and not campaign.area.path.startswith(root.path):
            root = None
        elif campaign.area.path.startswith(root.path):
            root = campaign.area  # the campaign's own area is the top of its figures
        today = timezone.localdate()
        if root is not None:
            context["figures"] = selectors.campaign_figures(self.request.user, campaign, root, on=today)
            context["not_zeroed"] = selectors.not_zeroed(self.request.user, campaign, root.path)
            context["root"] = root
            context["up"] = _up(self.request, root, perm) if root != campaign.area else None
        context["groups"] = list(campaign.groups.select_related("template", "checklist_campaign"))
        context["may_change"] = user_can(self.request.user, campaign, "change")
        return context


@login_required
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_object(request.user, SafetyCampaign, {"pk": pk}, "change")
    form = TargetGroupForm(request.POST or None)
    restrict_form_choices(form, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_add_target_group(campaign, data=form.group_data(), acting_user=request.user)
        except (DomainError, DjangoValidationError) as exc:
            _form_errors(form, exc)
        else:
            return HttpResponseRedirect(campaign.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "safety_hazards/form.html",
        {"form": form, "object": campaign, "title": _("Add a target group"), "back": campaign.get_absolute_url()},
        status=status,
    )


@login_required
@require_POST
def group_assign(request: HttpRequest, pk: int) -> HttpResponse:
    group = access_object(
        request.user, TargetGroup, {"pk": pk}, "change", queryset=TargetGroup.objects.select_related("campaign__area")
    )
    try:
        services.do_assign_targets(group, acting_user=request.user)
    except DomainError as exc:
        return render(
            request,
            "safety_hazards/refused.html",
            {"message": exc.message, "back": group.campaign.get_absolute_url()},
            status=exc.status,
        )
    return HttpResponseRedirect(group.campaign.get_absolute_url())


class CampaignTargetViews(ModelViews):
    model = CampaignTarget
    filterset = CampaignTargetFilterSet
    table = CampaignTargetTable
    url_plural = "targets"
    select_related = ["enterprise", "area", "campaign", "group__campaign", "run"]
    detail_fields = ["enterprise", "area", "campaign", "group", "run"]

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        hazards = Hazard.objects.restrict(user, "view").filter(campaign=obj.campaign, enterprise=obj.enterprise)
        inspections = Inspection.objects.restrict(user, "view").filter(campaign=obj.campaign, enterprise=obj.enterprise)
        return {"hazards": hazards.select_related("area")[:100], "inspections": inspections[:100]}

    detail_template = "safety_hazards/campaigntarget_detail.html"


# --- inspections and recordings ---------------------------------------------------------------------
class InspectionViews(ModelViews):
    model = Inspection
    filterset = InspectionFilterSet
    table = InspectionTable
    form = InspectionForm
    url_plural = "inspections"
    select_related = ["enterprise", "area", "campaign"]
    detail_template = "safety_hazards/inspection_detail.html"
    detail_fields = [
        "enterprise",
        "area",
        "campaign",
        "round",
        "kind",
        "inspected_on",
        "officers",
        "summary",
        "recorded_by",
    ]

    @classmethod
    def create(cls, form: Any, user: Any) -> Inspection:
        return services.do_record_inspection(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> Inspection:
        return services.do_update_inspection(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {
            "hazards": Hazard.objects.restrict(user, "view").filter(inspection=obj),
            "recordings": InspectionRecording.objects.restrict(user, "view").filter(inspection=obj),
        }


class InspectionRecordingViews(ModelViews):
    model = InspectionRecording
    filterset = InspectionRecordingFilterSet
    table = InspectionRecordingTable
    url_plural = "recordings"
    select_related = ["inspection__enterprise"]
    detail_template = "safety_hazards/inspectionrecording_detail.html"
    detail_fields = [
        "inspection",
        "kind",
        "original_name",
        "content_type",
        "size_bytes",
        "sha256",
        "recorded_at",
        "recorded_by",
        "uploaded_by",
    ]


@login_required
def recording_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access_object(request.user, Inspection, {"pk": pk}, "change")
    form = RecordingForm(request.POST or None, request.FILES or None)

    def perform() -> Any:
        return services.do_attach_recording(
            inspection,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            recorded_at=form.cleaned_data["recorded_at"],
            recorded_by=form.cleaned_data["recorded_by"],
            acting_user=request.user,
        )

    return _action_form(
        request, form, perform, obj=inspection, title=_("Attach an enforcement recording"), multipart=True
    )


def file_response(name: str, content_type: str, original: str) -> HttpResponse:
    if not name or not default_storage.exists(name):
        return HttpResponse(status=404)
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(original)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text or "file")


@login_required
def recording_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The recording's file, for users who may view the inspection (404 otherwise)."""
    recording = access_object(request.user, InspectionRecording, {"pk": pk}, "view")
    return file_response(recording.file.name, recording.content_type, recording.original_name)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access_object(request.user, RectificationEvidence, {"pk": pk}, "view")
    return file_response(evidence.file.name, evidence.content_type, evidence.original_name)


# --- hazards ---------------------------------------------------------------------------------------
class HazardViews(ModelViews):
    model = Hazard
    filterset = HazardFilterSet
    table = HazardTable
    form = HazardForm
    url_plural = "hazards"
    select_related = ["enterprise", "area", "campaign"]
    detail_template = "safety_hazards/hazard_detail.html"
    detail_fields = [
        "enterprise",
        "area",
        "severity",
        "status",
        "description",
        "inspection",
        "campaign",
        "checklist_item",
        "found_on",
        "entered_at",
        "entered_on_time",
        "accepted_on",
        "due_on",
        "submitted_on",
        "closed_on",
        "listed_on",
        "delisted_on",
    ]

    @classmethod
    def create(cls, form: Any, user: Any) -> Hazard:
        return services.do_report_hazard(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> Hazard:
        data = {k: v for k, v in form.cleaned_data.items() if k != "enterprise"}
        return services.do_update_hazard(obj, data=data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_hazard(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        today = timezone.localdate()
        steps = []
        for target in TARGETS[HazardStatus(obj.status)]:
            try:
                reasons: list[Any] = services.refusals(obj, target, acting_user=user, on=today)
            except PolicyMissing as exc:  # an administrator must add the rule; the page still shows
                reasons = [Reason(message=exc.message)]
            steps.append({"to": target, "label": HazardStatus(target).label, "reasons": reasons})
        alerts = Alert.objects.restrict(user, "view").filter(
            content_type=ContentType.objects.get_for_model(Hazard),
            object_id=str(obj.pk),
            state__in=[AlertState.OPEN, AlertState.ACKNOWLEDGED, AlertState.HANDLING],
        )
        return {
            "hazard": obj,
            "plan": RectificationPlan.objects.filter(hazard=obj).first(),
            "evidence": list(obj.evidence.select_related("recorded_by")),
            "verifications": list(obj.verifications.select_related("officer")),
            "steps": steps,
            "on": today,
            "overdue": obj.is_overdue(today),
            "alerts": list(alerts),
            "may_verify": user_can(user, obj, "verify_hazard"),
        }


@login_required
def hazard_transition(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = access_object(request.user, Hazard, {"pk": pk}, "view")
    form = TransitionForm(request.POST or None, hazard=hazard)

    def perform() -> Any:
        services.do_transition(
            hazard,
            to=form.cleaned_data["to"],
            on=form.cleaned_data["on"],
            due_on=form.cleaned_data.get("due_on"),
            comment=form.cleaned_data.get("comment", ""),
            acting_user=request.user,
        )
        return hazard

    return _action_form(request, form, perform, obj=hazard, title=_("Record a rectification step"))


@login_required
def hazard_plan(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = access_object(request.user, Hazard, {"pk": pk}, "change")
    plan = RectificationPlan.objects.filter(hazard=hazard).first()
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_plan(hazard, data=form.cleaned_data, acting_user=request.user)
        except (DomainError, DjangoValidationError) as exc:
            _form_errors(form, exc)
        else:
            return HttpResponseRedirect(hazard.get_absolute_url())
    return render(
        request,
        "safety_hazards/form.html",
        {
            "form": form,
            "object": hazard,
            "title": _("Five-in-place rectification plan"),
            "back": hazard.get_absolute_url(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def hazard_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = access_object(request.user, Hazard, {"pk": pk}, "change")
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_record_evidence(
                hazard,
                description=form.cleaned_data["description"],
                upload=form.cleaned_data.get("file"),
                acting_user=request.user,
            )
        except (DomainError, DjangoValidationError) as exc:
            _form_errors(form, exc)
        else:
            return HttpResponseRedirect(hazard.get_absolute_url())
    return render(
        request,
        "safety_hazards/form.html",
        {
            "form": form,
            "object": hazard,
            "title": _("Record rectification evidence"),
            "back": hazard.get_absolute_url(),
            "multipart": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def hazard_verify(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = access_object(request.user, Hazard, {"pk": pk}, "view")
    if not user_can(request.user, hazard, "verify_hazard"):
        raise PermissionDenied
    form = VerifyForm(request.POST or None, initial={"verified_on": timezone.localdate()})

    def perform() -> Any:
        services.do_verify(
            hazard,
            passed=form.cleaned_data["passed"],
            notes=form.cleaned_data.get("notes", ""),
            on=form.cleaned_data["verified_on"],
            acting_user=request.user,
        )
        return hazard

    return _action_form(request, form, perform, obj=hazard, title=_("Verify the rectification"))


def hazard_urls() -> list[Any]:
    return [
        path("hazards/<int:pk>/transition/", hazard_transition, name="hazard_transition"),
        path("hazards/<int:pk>/plan/", hazard_plan, name="hazard_plan"),
        path("hazards/<int:pk>/evidence/", hazard_evidence, name="hazard_evidence"),
        path("hazards/<int:pk>/verify/", hazard_verify, name="hazard_verify"),
        path("evidence/<int:pk>/file/", evidence_file, name="evidence_file"),
        path("inspections/<int:pk>/recordings/add/", recording_add, name="recording_add"),
        path("recordings/<int:pk>/file/", recording_file, name="recording_file"),
        path("campaigns/<int:pk>/groups/add/", group_add, name="group_add"),
        path("groups/<int:pk>/assign/", group_assign, name="group_assign"),
    ]


__all__ = [
    "CampaignTargetViews",
    "HazardViews",
    "InspectionRecordingViews",
    "InspectionViews",
    "SafetyCampaignViews",
    "hazard_urls",
    "overview",
]
