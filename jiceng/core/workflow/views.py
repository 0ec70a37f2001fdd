"""The transition history of any object the user may view (full page, or the partial under HTMX)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from jiceng.core.errors import NotFound
from jiceng.core.selectors import access_object
from jiceng.core.workflow.services import list_transitions


def access_subject(user, object_type: str, object_id: str):
    """The object ``app_label.model``/``object_id`` if ``user`` may view it; ``NotFound`` otherwise."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError) as exc:
        raise NotFound(object_type) from exc
    if not hasattr(model._default_manager.all(), "restrict"):
        raise NotFound(object_type)
    return access_object(user, model, {"pk": object_id}, "view")


class TransitionHistoryView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
        obj = access_subject(request.user, object_type, object_id)
        context = {"object": obj, "transitions": list(list_transitions(obj))}
        if getattr(request, "htmx", False):
            return render(request, "workflow/partials/transitions.html", context)
        return render(request, "workflow/history.html", context)
