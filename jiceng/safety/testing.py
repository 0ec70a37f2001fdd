"""Test helpers for the safety apps: the cast with safety roles, enterprises and profiles.

``safety_cast`` (fixture in ``jiceng/safety/conftest.py``) is the core cast with safety roles:
township_staff safety_editor (燕店镇), township_viewer safety_viewer (燕店镇), village_staff
safety_editor (东村), outsider safety_editor (古云镇), each also with the alerts, checklists and
public-pages roles the safety pages use; county_admin is admin of 莘县. Policies come from the seeds.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.apps import apps

EDITOR = ["safety_editor", "alerts_editor", "checklists_editor", "publicpages_editor"]
VIEWER = ["safety_viewer", "alerts_viewer", "checklists_viewer", "publicpages_viewer"]
SAFETY_ROLES = {
    "township_staff": EDITOR,
    "township_viewer": VIEWER,
    "village_staff": EDITOR,
    "outsider": EDITOR,
}

_serial = itertools.count(1)


def make_enterprise(area: Any, *, is_key: bool = True, name: str | None = None, **kwargs: Any) -> Any:
    """An enterprise in ``area`` (written directly: test set-up, not a user's action)."""
    from jiceng.directory.identifiers import make_credit_code

    model = apps.get_model("directory", "Enterprise")
    n = next(_serial)
    return model.objects.create(
        area=area,
        name=name or f"安全测试企业{n}",
        credit_code=make_credit_code("91", f"AQ{n:06d}", area.code[:6]),
        is_key=is_key,
        **kwargs,
    )


def make_profile(area: Any, *, enterprise: Any = None, **kwargs: Any) -> Any:
    """A safety profile (and its enterprise) in ``area``."""
    model = apps.get_model("safety", "SafetyProfile")
    enterprise = enterprise or make_enterprise(area)
    return model.objects.create(enterprise=enterprise, **kwargs)


def make_sector(code: str = "hazchem", name: str = "危险化学品") -> Any:
    model = apps.get_model("safety", "SafetySector")
    return model.objects.get_or_create(code=code, defaults={"name": name})[0]
