"""Production settings pass Django's deployment checks; every page carries the CSP header."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JICENG_", "DJANGO_")) and k not in {"DATABASE_URL", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        JICENG_SECRET_KEY=secrets.token_urlsafe(64),
        JICENG_ALLOWED_HOSTS="jiceng.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        JICENG_VAR_DIR=str(tmp_path),
    )
    return env


def test_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "jiceng", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout.lower(), result.stdout


def test_check_deploy_fails_without_a_secret(tmp_path: Path) -> None:
    """The check above can fail: a production start without JICENG_SECRET_KEY is refused."""
    env = _production_env(tmp_path)
    del env["JICENG_SECRET_KEY"]
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # production: no generated local secret
    result = subprocess.run(
        [sys.executable, "-m", "jiceng", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "JICENG_SECRET_KEY" in result.stdout + result.stderr


@pytest.mark.parametrize("page", ["core:dashboard", "accounts:login", "directory:person_list", "healthz"])
def test_pages_carry_the_content_security_policy(cast, client, page: str) -> None:
    if page != "accounts:login":  # the login page redirects a signed-in user
        client.force_login(cast.township_staff)
    response = client.get(reverse(page))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "http" not in csp, "no remote origin (CDN) may be allowed"
