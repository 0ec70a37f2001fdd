"""API of the registries: one scoped viewset per registry (writes through the registry rules)."""

from __future__ import annotations

from typing import Any

from jiceng.core.api.viewsets import model_viewset
from jiceng.party.registries import services
from jiceng.party.registries.views import REGISTRIES


def viewset(model: type[Any], fields: list[str]) -> type[Any]:
    return model_viewset(model, fields, create=services.do_create)


VIEWSETS = {slug: viewset(model, fields) for model, slug, _columns, fields in REGISTRIES}
