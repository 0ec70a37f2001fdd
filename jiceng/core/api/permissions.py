"""API permission: authenticated, and holding the model permission somewhere in the area tree.

Whether a *particular* object is reachable is decided by the restricted queryset (a 404
outside the subtree), never here.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from jiceng.core.scope import permission_name, user_scope_paths

ACTION_FOR_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def required_action(request: Request, view: Any) -> str:
    explicit = getattr(view, "scope_actions", {}).get(getattr(view, "action", None))
    return explicit or ACTION_FOR_METHOD.get(request.method or "GET", "view")


class ScopedModelPermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return True
        return bool(user_scope_paths(user, permission_name(model, required_action(request, view))))
