"""Pages of safety training, spot tests, certificate checks and publicity.

Each model's list/detail/edit/delete/history pages come from a ``ModelViews`` declaration whose
hooks call the services; custom pages: the overview (figures by Area with drill-down, by sector,
by campaign), an enterprise's training ledger, withdrawing a broadcast and an ad's picture.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.errors import DomainError, InvalidInput
from jiceng.core.scope import minimal_paths, user_can, user_scope_paths
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.core.workflow import GuardFailed
from jiceng.directory.dashboard import scope_root
from jiceng.directory.models import mask_id_number
from jiceng.safety.training import selectors, services
from jiceng.safety.training.filtersets import (
    BroadcastFilterSet,
    CertificateCheckFilterSet,
    ExamFilterSet,
    PublicityActivityFilterSet,
    PublicServiceAdFilterSet,
    SpotTestFilterSet,
    SpotTestResultFilterSet,
    TrainingCampaignFilterSet,
    TrainingSessionFilterSet,
)
from jiceng.safety.training.forms import (
    AdImageForm,
    BroadcastForm,
    CertificateCheckForm,
    ExamForm,
    PublicityActivityForm,
    PublicServiceAdForm,
    SpotTestForm,
    SpotTestResultForm,
    TrainingCampaignForm,
    TrainingSessionForm,
)
from jiceng.safety.training.models import (
    Broadcast,
    BroadcastState,
    CertificateCheck,
    Exam,
    PublicityActivity,
    PublicServiceAd,
    SpotTest,
    SpotTestResult,
    TrainingCampaign,
    TrainingSession,
)
from jiceng.safety.training.tables import (
    BroadcastTable,
    CertificateCheckTable,
    ExamTable,
    PublicityActivityTable,
    PublicServiceAdTable,
    SpotTestResultTable,
    SpotTestTable,
    TrainingCampaignTable,
    TrainingSessionTable,
)

may_see_id_numbers = selectors.may_see_id_numbers


# --- campaigns ------------------------------------------------------------------------------
class TrainingCampaignViews(ModelViews):
    model = TrainingCampaign
    filterset = TrainingCampaignFilterSet
    table = TrainingCampaignTable
    form = TrainingCampaignForm
    url_plural = "campaigns"
    detail_fields = ["name", "kind", "starts_on", "ends_on", "description"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> TrainingCampaign:
        return services.do_create_campaign(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> TrainingCampaign:
        return services.do_update_campaign(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_installation_row(obj, acting_user=user)


# --- S13 ------------------------------------------------------------------------------------
class TrainingSessionViews(ModelViews):
    model = TrainingSession
    filterset = TrainingSessionFilterSet
    table = TrainingSessionTable
    form = TrainingSessionForm
    url_plural = "trainings"
    select_related = ["enterprise", "area", "campaign"]
    detail_template = "safety_training/trainingsession_detail.html"
    detail_fields = ["enterprise", "area", "campaign", "held_on", "topic", "kind", "trainer", "hours", "participants"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> TrainingSession:
        return services.do_create_training(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> TrainingSession:
        return services.do_update_training(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {
            "attendees": obj.attendees.restrict(user, "view").order_by("name"),
            "named": obj.attendees.count(),
            "exams": Exam.objects.restrict(user, "view").filter(session=obj),
            "ledger": selectors.ledger_url(user, obj.enterprise),
        }


class ExamViews(ModelViews):
    model = Exam
    filterset = ExamFilterSet
    table = ExamTable
    form = ExamForm
    url_plural = "exams"
    select_related = ["enterprise", "area", "campaign"]
    detail_fields = ["enterprise", "area", "campaign", "session", "held_on", "title", "candidates", "passed"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> Exam:
        return services.do_create_exam(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> Exam:
        return services.do_update_exam(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_rows(cls, obj: Any, user: Any) -> list[tuple[str, Any]]:
        rate = obj.pass_rate
        return [*super().detail_rows(obj, user), (_("pass rate"), "—" if rate is None else f"{rate}%")]


# --- S14 ------------------------------------------------------------------------------------
class SpotTestViews(ModelViews):
    model = SpotTest
    filterset = SpotTestFilterSet
    table = SpotTestTable
    form = SpotTestForm
    url_plural = "spot-tests"
    select_related = ["enterprise", "area", "campaign", "unit"]
    detail_template = "safety_training/spottest_detail.html"
    detail_fields = [
        "enterprise",
        "area",
        "campaign",
        "tested_on",
        "officer",
        "unit",
        "subject",
        "tested",
        "passed",
        "pass_mark",
        "notes",
    ]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> SpotTest:
        return services.do_create_spot_test(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> SpotTest:
        return services.do_update_spot_test(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_rows(cls, obj: Any, user: Any) -> list[tuple[str, Any]]:
        rate = obj.pass_rate
        return [*super().detail_rows(obj, user), (_("pass rate"), "—" if rate is None else f"{rate}%")]

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {
            "results": SpotTestResult.objects.restrict(user, "view").filter(spot_test=obj).select_related("employee"),
            "ledger": selectors.ledger_url(user, obj.enterprise),
            "can_add_result": user_can(user, obj, "change"),
        }


class SpotTestResultViews(ModelViews):
    model = SpotTestResult
    filterset = SpotTestResultFilterSet
    table = SpotTestResultTable
    form = SpotTestResultForm
    url_plural = "spot-test-results"
    select_related = ["spot_test__enterprise", "employee"]
    detail_fields = ["spot_test", "employee", "score", "passed"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> SpotTestResult:
        return services.do_record_result(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> SpotTestResult:
        return services.do_update_result(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_result(obj, acting_user=user)


class CertificateCheckViews(ModelViews):
    model = CertificateCheck
    filterset = CertificateCheckFilterSet
    table = CertificateCheckTable
    form = CertificateCheckForm
    url_plural = "certificate-checks"
    select_related = ["enterprise", "area", "campaign", "holder"]
    detail_template = "safety_training/certificatecheck_detail.html"
    detail_fields = [
        "enterprise",
        "area",
        "campaign",
        "checked_on",
        "inspector",
        "holder",
        "holder_name",
        "holder_id_number",
        "kind",
        "operation_type",
        "certificate_number",
        "issuing_authority",
        "issued_on",
        "valid_until",
        "found_in_register",
        "holder_matches",
        "result",
        "notes",
    ]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> CertificateCheck:
        return services.do_create_certificate_check(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> CertificateCheck:
        return services.do_update_certificate_check(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_certificate_check(obj, acting_user=user)

    @classmethod
    def detail_rows(cls, obj: Any, user: Any) -> list[tuple[str, Any]]:
        rows = super().detail_rows(obj, user)
        if may_see_id_numbers(user, obj):
            return rows
        label = str(CertificateCheck._meta.get_field("holder_id_number").verbose_name)
        return [(name, mask_id_number(value) if name == label else value) for name, value in rows]

    @classmethod
    def history_changes(cls, entry: Any, obj: Any, user: Any) -> list[tuple[str, Any, Any]]:
        changes = list(entry.changed_fields())
        if may_see_id_numbers(user, obj):
            return changes
        return [
            (f, mask_id_number(b) if b else b, mask_id_number(a) if a else a) if f == "holder_id_number" else (f, b, a)
            for f, b, a in changes
        ]

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {"alerts": selectors.alerts_about(user, obj), "ledger": selectors.ledger_url(user, obj.enterprise)}


# --- S15 ------------------------------------------------------------------------------------
class PublicityActivityViews(ModelViews):
    model = PublicityActivity
    filterset = PublicityActivityFilterSet
    table = PublicityActivityTable
    form = PublicityActivityForm
    url_plural = "publicity"
    select_related = ["area", "enterprise", "campaign", "ad"]
    detail_fields = [
        "target",
        "area",
        "enterprise",
        "campaign",
        "held_on",
        "title",
        "organiser",
        "venue",
        "participants",
        "ad",
        "summary",
    ]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> PublicityActivity:
        return services.do_create_publicity(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> PublicityActivity:
        return services.do_update_publicity(obj, data=form.cleaned_data, acting_user=user)


class BroadcastViews(ModelViews):
    model = Broadcast
    filterset = BroadcastFilterSet
    table = BroadcastTable
    form = BroadcastForm
    url_plural = "broadcasts"
    select_related = ["area", "ad"]
    detail_template = "safety_training/broadcast_detail.html"
    detail_fields = [
        "area",
        "title",
        "message",
        "severity",
        "starts_at",
        "ends_at",
        "ad",
        "state",
        "published_at",
        "closed_at",
    ]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> Broadcast:
        return services.do_create_broadcast(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> Broadcast:
        return services.do_update_broadcast(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_broadcast(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {
            "alerts": selectors.alerts_about(user, obj),
            "can_withdraw": obj.state in (BroadcastState.SCHEDULED, BroadcastState.LIVE)
            and user_can(user, obj, "change"),
            "text": services.broadcast_text(obj),
        }


class PublicServiceAdViews(ModelViews):
    model = PublicServiceAd
    filterset = PublicServiceAdFilterSet
    table = PublicServiceAdTable
    form = PublicServiceAdForm
    url_plural = "ads"
    detail_template = "safety_training/publicservicead_detail.html"
    detail_fields = ["title", "text", "tags", "source"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> PublicServiceAd:
        return services.do_create_ad(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> PublicServiceAd:
        return services.do_update_ad(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_installation_row(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {
            "image_form": AdImageForm(),
            "can_set_image": bool(user_scope_paths(user, "safety_training.change_publicservicead")),
        }


# --- custom pages ---------------------------------------------------------------------------
def _up(request: HttpRequest, root: Any, perm: str) -> Any:
    paths = minimal_paths(user_scope_paths(request.user, perm))
    parent = root.parent
    return parent if parent is not None and any(parent.path.startswith(p) for p in paths) else None


def _chart_training(data: dict[str, Any]) -> dict[str, Any]:
    rows = [r for r in data["rows"] if r["enterprises"]]
    return {
        "title": _("Employees and workers trained, by area"),
        "categories": [r["area"].name for r in rows],
        "series": [
            {"name": _("Employees"), "data": [r["employees"] for r in rows]},
            {"name": _("Workers trained"), "data": [r["trained"] for r in rows]},
        ],
    }


def _chart_publicity(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": _("Publicity activities by target"),
        "categories": [str(r["label"]) for r in data["by_target"]],
        "series": [{"name": _("Activities"), "data": [r["activities"] for r in data["by_target"]]}],
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Training participation (S13), spot tests and certificate checks (S14), publicity and live
    broadcasts (S15) for an Area (``?area=<code>``), optionally for a period or a campaign."""
    perm = "safety_training.view_trainingsession"
    root = scope_root(request, perm)
    if root is None:
        raise PermissionDenied
    error = ""
    try:
        period = selectors.parse_period(request.GET, request.user)
    except InvalidInput as exc:
        period, error = selectors.Period(), exc.message
    training = selectors.training_figures(request.user, root, period)
    publicity = selectors.publicity_figures(request.user, root, period)
    context = {
        "root": root,
        "up": _up(request, root, perm),
        "period": period,
        "period_query": "&".join(f"{k}={v}" for k, v in period.as_params().items()),
        "error": error,
        "campaigns": TrainingCampaign.objects.restrict(request.user, "view"),
        "training": training,
        "spot": selectors.spot_test_figures(request.user, root, period),
        "certificates": selectors.certificate_figures(request.user, root, period),
        "publicity": publicity,
        "broadcasts": selectors.live_broadcasts(request.user, root),
        "training_chart": _chart_training(training),
        "publicity_chart": _chart_publicity(publicity),
    }
    return render(request, "safety_training/overview.html", context, status=400 if error else 200)


@login_required
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """One enterprise's training ledger: participation, sessions, exams, spot tests, certificate checks."""
    profile = selectors.access_profile(request.user, pk)
    error = ""
    try:
        period = selectors.parse_period(request.GET, request.user)
    except InvalidInput as exc:
        period, error = selectors.Period(), exc.message
    context = {
        "profile": profile,
        "period": period,
        "error": error,
        "figures": selectors.enterprise_participation(request.user, profile, period),
        **selectors.enterprise_ledger(request.user, profile, period),
    }
    return render(request, "safety_training/ledger.html", context)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    broadcast = access_object(request.user, Broadcast, {"pk": pk}, "change")
    try:
        services.do_withdraw_broadcast(broadcast, acting_user=request.user, comment=request.POST.get("comment", ""))
    except GuardFailed as exc:
        for reason in exc.reasons:
            messages.error(request, reason.message)
    else:
        messages.success(request, _("The broadcast was withdrawn; its alert is closed."))
    return HttpResponseRedirect(reverse("safety_training:broadcast_detail", args=[broadcast.pk]))


@login_required
def ad_image(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the ad's picture (for anyone who may view the library); POST: replace or remove it."""
    if request.method == "POST":
        ad = access_object(request.user, PublicServiceAd, {"pk": pk}, "change")
        form = AdImageForm(request.POST, request.FILES)
        if form.is_valid():
            upload = None if form.cleaned_data["remove"] else form.cleaned_data["image"]
            try:
                if upload is not None or form.cleaned_data["remove"]:
                    services.do_set_ad_image(ad, upload=upload, acting_user=request.user)
            except (DjangoValidationError, DomainError) as exc:
                text = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
                messages.error(request, text)
        return HttpResponseRedirect(ad.get_absolute_url())
    ad = access_object(request.user, PublicServiceAd, {"pk": pk}, "view")
    if not ad.image:
        raise Http404
    if not default_storage.exists(ad.image):
        raise Http404
    response = FileResponse(default_storage.open(ad.image, "rb"), content_type=ad.image_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
