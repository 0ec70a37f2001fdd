"""``{% alert_actions alert %}``: the lifecycle buttons the current user may use on an alert."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.workflow.services import available_transitions

register = template.Library()

LABELS = {
    "acknowledge": _("Acknowledge"),
    "start_handling": _("Start handling"),
    "close": _("Close"),
    "reopen": _("Reopen"),
}


@register.inclusion_tag("alerts/partials/actions.html", takes_context=True)
def alert_actions(context: Any, alert: Any) -> dict[str, Any]:
    user = context["request"].user
    names = available_transitions(alert, "state", acting_user=user)
    return {
        "alert": alert,
        "actions": [(n, LABELS.get(n, n), reverse("alerts:alert_action", args=[alert.pk, n])) for n in names],
        "comment_url": reverse("alerts:alert_action", args=[alert.pk, "comment"]),
        "can_comment": bool(names) or alert.state != "closed",
        "csrf_token": context.get("csrf_token"),
    }
