"""Account writes: users, grants and API tokens (all audited)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from jiceng.accounts.models import Role, RoleGrant, User
from jiceng.core import audit, services
from jiceng.core.errors import InvalidInput
from jiceng.core.models import AuditAction
from jiceng.directory.models import Area


def do_create_user(
    *,
    username: str,
    password: str,
    area_code: str,
    role_keys: Sequence[str],
    display_name: str = "",
    acting_user: Any = None,
    check_password: bool = True,
) -> User:
    """Create a user holding ``role_keys`` over the subtree of ``area_code``."""
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise InvalidInput(_("Unknown area code %(code)s.") % {"code": area_code}, field="area")
    roles = list(Role.objects.filter(key__in=role_keys))
    missing = sorted(set(role_keys) - {r.key for r in roles})
    if missing:
        raise InvalidInput(_("Unknown role(s): %(roles)s.") % {"roles": ", ".join(missing)}, field="role")
    if User.objects.filter(username=username).exists():
        raise InvalidInput(_("The username %(username)s is taken.") % {"username": username}, field="username")
    if check_password:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field="password") from exc
    with transaction.atomic():
        user = User(username=username, display_name=display_name)
        user.set_password(password)
        user.save()
        audit.record(AuditAction.CREATE, user, actor=acting_user, after=audit.snapshot(user))
        for role in roles:
            do_grant_role(user, role=role, area=area, acting_user=acting_user)
    return user


def do_grant_role(user: User, *, role: Role, area: Area, acting_user: Any) -> RoleGrant:
    grant = services.do_create(RoleGrant, data={"user": user, "role": role, "area": area}, acting_user=acting_user)
    user.clear_scope_cache()
    return grant


def do_issue_token(user: User, *, acting_user: Any = None) -> str:
    """The user's API token (created on first use; the same token afterwards)."""
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=user)
        if created:
            audit.record(AuditAction.CREATE, user, actor=acting_user, comment="API token issued")
    return token.key
