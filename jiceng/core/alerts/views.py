"""Alert pages: list (filters), detail (explanation, evidence, comments, timeline, actions), my notifications."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from jiceng.core.alerts import services
from jiceng.core.alerts.channels import channels
from jiceng.core.alerts.filtersets import AlertFilterSet
from jiceng.core.alerts.models import Alert, Notification, NotificationPreference
from jiceng.core.alerts.tables import AlertTable
from jiceng.core.errors import DomainError, NotFound
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews

CHANNEL_LABELS = {"in_app": _("In the app"), "email": _("Email"), "webhook": _("Text message (SMS gateway)")}


class AlertViews(ModelViews):
    model = Alert
    filterset = AlertFilterSet
    table = AlertTable
    select_related = ["assignee", "content_type"]
    detail_template = "alerts/alert_detail.html"
    detail_fields = [
        "rule",
        "severity",
        "state",
        "subject_repr",
        "area_path",
        "origin_area_path",
        "raised_at",
        "last_seen_at",
        "seen_count",
        "acknowledged_at",
        "closed_at",
        "escalation_level",
        "escalate_at",
        "assignee",
        "assignee_role",
    ]


ACTIONS = {
    "acknowledge": services.do_acknowledge,
    "start_handling": services.do_start_handling,
    "close": services.do_close,
    "reopen": services.do_reopen,
}


class AlertActionView(LoginRequiredMixin, View):
    """POST a lifecycle action or a comment (HTMX or plain form); back to the detail page."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in ACTIONS and action != "comment":
            raise NotFound(action)
        alert = access_object(request.user, Alert, {"pk": pk}, "view")
        try:
            if action == "comment":
                services.do_comment(alert, acting_user=request.user, text=request.POST.get("text", ""))
            else:
                ACTIONS[action](alert, acting_user=request.user, comment=request.POST.get("comment", ""))
        except DomainError as exc:
            return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
        target = alert.get_absolute_url()
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Location"] = target
            return response
        return HttpResponseRedirect(target)


class NotificationListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "alerts/notifications.html", self.context(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("mark_read"):
            services.do_mark_read(request.user)
        if request.POST.get("preferences"):
            chosen = set(request.POST.getlist("channel"))
            for name in channels():
                services.do_set_preference(request.user, channel=name, is_enabled=name in chosen)
        return HttpResponseRedirect(request.path)

    def context(self, request: HttpRequest) -> dict[str, Any]:
        notifications = Notification.objects.filter(user=request.user).select_related("alert")[:100]
        prefs = {p.channel: p.is_enabled for p in NotificationPreference.objects.filter(user=request.user)}
        rows = [
            (name, CHANNEL_LABELS.get(name, name), prefs.get(name, channel.default_enabled(request.user)))
            for name, channel in channels().items()
        ]
        return {"notifications": notifications, "channels": rows}
