"""Accounts: the createuser/token commands, token authentication, login throttling, /healthz."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db.utils import OperationalError
from django.urls import reverse

from jiceng.accounts.models import User
from jiceng.core.models import AuditEntry
from jiceng.core.testing import PASSWORD

TOWNSHIP_CODE = "371522109000"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_createuser_grants_the_role_over_the_area_subtree(cast) -> None:
    audits_before = AuditEntry.objects.count()
    out = _run(
        "createuser", "--username", "zhang_san", "--password", "Yandian-2026-secure", "--area", TOWNSHIP_CODE,
        "--role", "directory_viewer",
    )  # fmt: skip
    assert "zhang_san" in out
    user = User.objects.get(username="zhang_san")
    assert user.check_password("Yandian-2026-secure")
    assert [(g.role.key, g.area.code) for g in user.grants.select_related("role", "area")] == [
        ("directory_viewer", TOWNSHIP_CODE)
    ]
    assert user.get_scope_paths("directory.view_person") == [cast.area("燕店镇").path]
    assert user.get_scope_paths("directory.change_person") == []
    # the user and the grant are both audited
    assert AuditEntry.objects.count() == audits_before + 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "999999999999", "--role", "directory_viewer"], "999999999999"),
        (["--area", TOWNSHIP_CODE, "--role", "no_such_role"], "no_such_role"),
    ],
)
def test_createuser_refuses_bad_input_and_writes_nothing(cast, args: list[str], message: str) -> None:
    users_before = User.objects.count()
    with pytest.raises(CommandError, match=message):
        _run("createuser", "--username", "li_si", "--password", "Yandian-2026-secure", *args)
    assert User.objects.count() == users_before


def test_createuser_refuses_a_weak_password(cast) -> None:
    with pytest.raises(CommandError):
        _run("createuser", "--username", "li_si", "--password", "123", "--area", TOWNSHIP_CODE, "--role", "admin")
    assert not User.objects.filter(username="li_si").exists()


def test_token_prints_only_the_token_and_it_authenticates(cast, client) -> None:
    out = _run("token", "township_staff")
    token = out.strip()
    assert out == token + "\n", "the command prints the token and nothing else"
    assert len(token) == 40 and token.isalnum()
    assert _run("token", "township_staff").strip() == token, "the same token on every call"

    url = reverse("person-list")
    assert client.get(url).status_code == 401
    response = client.get(url, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    wrong = client.get(url, HTTP_AUTHORIZATION=f"Token {token[:-1]}x")
    assert wrong.status_code == 401


def test_token_for_unknown_user_fails(db) -> None:
    with pytest.raises(CommandError, match="nobody"):
        _run("token", "nobody")


def _login(client, password: str, address: str = "10.0.0.7"):
    return client.post(
        reverse("accounts:login"), {"username": "township_staff", "password": password}, REMOTE_ADDR=address
    )


def test_right_password_signs_in(cast, client) -> None:
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(cast.township_staff.pk)


def test_failed_logins_lock_the_account_even_for_the_right_password(cast, client, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        response = _login(client, "wrong-password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    # locked: the right password is refused, from this address and from another one (same username)
    for address in ("10.0.0.7", "10.0.0.8"):
        response = _login(client, PASSWORD, address)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        assert response.context["form"].has_error("__all__", code="locked")


def test_failures_below_the_limit_do_not_lock(cast, client, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        _login(client, "wrong-password")
    assert _login(client, PASSWORD).status_code == 302


def test_healthz_reports_ok(db, client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_healthz_names_the_database_when_it_is_down(db, client) -> None:
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert "OperationalError" in body["database"]
