"""Authentication by username and password; permissions come from area-bounded role grants."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class ScopedRoleBackend(ModelBackend):
    """Password authentication; ``has_perm`` means "holds it in some area" (objects are checked by scope)."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return user_obj.get_all_permissions()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and not user_obj.is_anonymous and user_obj.get_scope_paths(perm))
