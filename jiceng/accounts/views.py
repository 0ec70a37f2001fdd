from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.db import models

from jiceng.accounts.filtersets import UserFilterSet
from jiceng.accounts.forms import ThrottledAuthenticationForm
from jiceng.accounts.models import RoleGrant, User
from jiceng.accounts.tables import UserTable
from jiceng.core.views import ModelViews


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class UserViews(ModelViews):
    """Users are read-only in the UI for now; they are created with ``jiceng createuser``."""

    model = User
    filterset = UserFilterSet
    table = UserTable
    detail_fields = ["username", "display_name", "email", "is_active", "last_login", "date_joined"]

    @classmethod
    def detail_rows(cls, obj: models.Model, user: Any) -> list[tuple[str, Any]]:
        rows = super().detail_rows(obj, user)
        grants = "；".join(
            f"{g.role.name} @ {g.area.full_name}" for g in obj.grants.select_related("role", "area__parent__parent")
        )  # type: ignore[attr-defined]
        return [*rows, (str(RoleGrant._meta.verbose_name_plural), grants)]
