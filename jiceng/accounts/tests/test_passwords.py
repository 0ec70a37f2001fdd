"""Production settings hash passwords with Argon2 (tests use a fast hasher on purpose)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _settings_in(env_overrides: dict[str, str]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JICENG_") and k != "DATABASE_URL"}
    env.update(env_overrides)
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'hashers': settings.PASSWORD_HASHERS,"
        " 'conn_max_age': settings.DATABASES['default']['CONN_MAX_AGE'],"
        " 'engine': settings.DATABASES['default']['ENGINE']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "jiceng.config.settings",
    "JICENG_SECRET_KEY": "k" * 20 + "-production-secret-for-settings-test-0123456789",
    "JICENG_ALLOWED_HOSTS": "jiceng.example.gov.cn",
}


def test_production_hashes_with_argon2():
    found = _settings_in(PRODUCTION)
    assert found["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_postgres_connections_are_persistent():
    found = _settings_in({**PRODUCTION, "DATABASE_URL": "postgres://jiceng@db.example:5432/jiceng"})
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["conn_max_age"] > 0


@pytest.mark.django_db
def test_argon2_round_trip(settings):
    from django.contrib.auth.hashers import check_password, make_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    encoded = make_password("correct horse battery", hasher="argon2")
    assert encoded.startswith("argon2$")
    assert check_password("correct horse battery", encoded)
    assert not check_password("wrong", encoded)
