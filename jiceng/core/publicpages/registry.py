"""Which models may publish a public page, and which of their fields the public may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class PublicField:
    label: str | Any
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class PublicSpec:
    model: type[models.Model]
    fields: tuple[PublicField, ...]
    title: Callable[[Any], str] = str
    template: str = "publicpages/page.html"
    # whether an object may be published now (e.g. only a registered product has a public code)
    publishable: Callable[[Any], bool] = lambda obj: True


_specs: dict[type[models.Model], PublicSpec] = {}


def register_public(spec: PublicSpec) -> PublicSpec:
    _specs[spec.model] = spec
    return spec


def spec_for(model: type[models.Model]) -> PublicSpec | None:
    return _specs.get(model)


def public_field(label: Any, attribute: str) -> PublicField:
    """A public field read from ``obj.<attribute>`` (``get_<attribute>_display`` for choices)."""

    def read(obj: Any) -> Any:
        display = getattr(obj, f"get_{attribute}_display", None)
        return display() if callable(display) else getattr(obj, attribute)

    return PublicField(label=label, value=read)
