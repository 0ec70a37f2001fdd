"""Built-in roles, kept in step with the installed modules after every ``migrate``.

- ``admin``: every permission of every Jiceng app, within the granted area subtree;
- ``<module>_viewer``: view permissions of one module (resident IDs masked); a module is one app,
  or several apps that declare the same ``jiceng_module = "<name>"``;
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


def module_groups() -> dict[str, list[str]]:
    """Role key → app labels. ``jiceng_module = True`` makes an app its own module; a string
    names the module it belongs to (the party module is several apps under one role pair)."""
    groups: dict[str, list[str]] = {}
    for cfg in apps.get_app_configs():
        module = getattr(cfg, "jiceng_module", False)
        if module:
            groups.setdefault(cfg.label if module is True else str(module), []).append(cfg.label)
    return groups


def builtin_role_definitions() -> dict[str, tuple[str, Q]]:
    roles: dict[str, tuple[str, Q]] = {
        "admin": ("Administrator", Q(content_type__app_label__in=jiceng_app_labels())),
    }
    for module, labels in module_groups().items():
        roles[f"{module}_viewer"] = (
            f"{module} viewer",
            Q(content_type__app_label__in=labels, codename__startswith="view_") & ~Q(codename="view_id_number"),
        )
        roles[f"{module}_editor"] = (f"{module} editor", Q(content_type__app_label__in=labels))
    return roles


def sync_builtin_roles() -> None:
    from jiceng.accounts.models import Role

    for key, (name, query) in builtin_role_definitions().items():
        role, _ = Role.objects.get_or_create(key=key, defaults={"name": name, "is_builtin": True})
        role.permissions.set(Permission.objects.filter(query))


def sync_builtin_roles_handler(sender: Any, **kwargs: Any) -> None:
    # post_migrate runs per app with a models module, in INSTALLED_APPS order: sync after the last
    # such Jiceng app, when every module's permissions exist.
    labels = [
        cfg.label
        for cfg in apps.get_app_configs()
        if cfg.name.startswith(JICENG_APP_PREFIX) and cfg.models_module is not None
    ]
    if labels and getattr(sender, "label", None) == labels[-1]:
        sync_builtin_roles()
