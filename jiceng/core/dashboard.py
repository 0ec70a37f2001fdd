"""Dashboard widget registry: each app registers the figures it contributes to the overview.

A widget is a function ``(request) -> dict | None`` returning a template name and its
context, or ``None`` when the user may not see it. Figures are computed with set-based
SQL (aggregates), never by looping over rows in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Widget:
    key: str
    render: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100


_widgets: dict[str, Widget] = {}


def register_widget(
    key: str, order: int = 100
) -> Callable[[Callable[[HttpRequest], dict[str, Any] | None]], Callable[[HttpRequest], dict[str, Any] | None]]:
    def decorator(
        func: Callable[[HttpRequest], dict[str, Any] | None],
    ) -> Callable[[HttpRequest], dict[str, Any] | None]:
        _widgets[key] = Widget(key=key, render=func, order=order)
        return func

    return decorator


def widgets_for(request: HttpRequest) -> list[dict[str, Any]]:
    result = []
    for widget in sorted(_widgets.values(), key=lambda w: (w.order, w.key)):
        data = widget.render(request)
        if data is not None:
            result.append({"key": widget.key, **data})
    return result
