"""The training widget of the county overview: participation, spot tests, live broadcasts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jiceng.core.dashboard import register_widget
from jiceng.directory.dashboard import scope_root
from jiceng.safety.training import selectors


@register_widget("safety.training", order=310)
def safety_training(request: HttpRequest) -> dict[str, Any] | None:
    root = scope_root(request, "safety_training.view_trainingsession")
    if root is None:
        return None
    period = selectors.Period()
    return {
        "template": "safety_training/widgets/training.html",
        "root": root,
        "training": selectors.training_figures(request.user, root, period)["totals"],
        "spot": selectors.spot_test_figures(request.user, root, period)["totals"],
        "broadcasts": list(selectors.live_broadcasts(request.user, root)[:3]),
    }
