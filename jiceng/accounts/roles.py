"""Built-in roles, kept in step with the installed modules after every ``migrate``.

- ``admin``: every permission of every Jiceng app, within the granted area subtree;
- ``<module>_viewer``: view permissions of one module (resident IDs masked);
- ``<module>_editor``: view, add, change and delete in one module, plus its custom actions.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db.models import Q

JICENG_APP_PREFIX = "jiceng."


def jiceng_app_labels() -> list[str]:
    return [cfg.label for cfg in apps.get_app_configs() if cfg.name.startswith(JICENG_APP_PREFIX)]


def module_app_labels() -> list[str]:
    return [cfg.label for cfg in apps.get_app_configs() if getattr(cfg, "jiceng_module", False)]


def builtin_role_definitions() -> dict[str, tuple[str, Q]]:
    roles: dict[str, tuple[str, Q]] = {
        "admin": ("Administrator", Q(content_type__app_label__in=jiceng_app_labels())),
    }
    for label in module_app_labels():
        roles[f"{label}_viewer"] = (
            f"{label} viewer",
            Q(content_type__app_label=label, codename__startswith="view_") & ~Q(codename="view_id_number"),
        )
        roles[f"{label}_editor"] = (f"{label} editor", Q(content_type__app_label=label))
    return roles


def sync_builtin_roles() -> None:
    from jiceng.accounts.models import Role

    for key, (name, query) in builtin_role_definitions().items():
        role, _ = Role.objects.get_or_create(key=key, defaults={"name": name, "is_builtin": True})
        role.permissions.set(Permission.objects.filter(query))


def sync_builtin_roles_handler(sender: Any, **kwargs: Any) -> None:
    if getattr(sender, "label", None) == "accounts":
        sync_builtin_roles()
