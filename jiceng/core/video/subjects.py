"""Which kinds of object a camera may watch (the camera form's choice), looked up by model label.

Core never imports the modules: a module registers its models by label in its ``AppConfig.ready``
(``register_subject_model("safety.SafetyProfile")``). The Area itself is always a choice, so a
camera can watch a place (a village square, a township yard) without any module.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

_labels: list[str] = ["directory.Area"]


def register_subject_model(label: str) -> None:
    """Offer ``app_label.ModelName`` as a camera subject in the camera form and API."""
    if label not in _labels:
        _labels.append(label)


def subject_models() -> list[type[models.Model]]:
    found = []
    for label in _labels:
        try:
            found.append(apps.get_model(label))
        except (LookupError, ValueError):
            continue
    return found


def subject_type_choices() -> list[tuple[str, Any]]:
    return [(m._meta.label_lower, m._meta.verbose_name) for m in subject_models()]


def find_subject(user: Any, label: str, object_id: Any) -> models.Model | None:
    """The object ``label``/``object_id`` if it is a registered subject kind and ``user`` may view it."""
    wanted = {m._meta.label_lower: m for m in subject_models()}.get(str(label).lower())
    if wanted is None:
        return None
    qs: Any = wanted._default_manager.all()
    if user is not None and hasattr(qs, "restrict"):
        qs = qs.restrict(user, "view")
    try:
        found: models.Model | None = qs.filter(pk=object_id).first()
    except (ValueError, TypeError):
        return None
    return found
