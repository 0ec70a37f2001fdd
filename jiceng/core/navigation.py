"""The navigation menu: each app registers its section; the menu shows what the user may view."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from jiceng.core.scope import user_scope_paths


@dataclass(frozen=True)
class MenuItem:
    title: str | Promise
    url_name: str
    permission: str | None = None


@dataclass
class MenuSection:
    key: str
    title: str | Promise
    items: list[MenuItem] = field(default_factory=list)
    order: int = 100


_sections: dict[str, MenuSection] = {}


def register_menu(key: str, title: str | Promise, items: list[MenuItem], order: int = 100) -> None:
    """Add a section, or append to it when several apps share one (the party module's apps)."""
    section = _sections.get(key)
    if section is None:
        _sections[key] = MenuSection(key=key, title=title, items=list(items), order=order)
    else:
        section.items.extend(item for item in items if item not in section.items)


def menu_for(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False):
        return []
    result = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        items = [
            {"title": item.title, "url": reverse(item.url_name)}
            for item in section.items
            if item.permission is None or user_scope_paths(user, item.permission)
        ]
        if items:
            result.append({"key": section.key, "title": section.title, "items": items})
    return result
