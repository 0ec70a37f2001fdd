"""Suite-wide test configuration: testing settings, the user cast, API clients."""

from __future__ import annotations

import os

os.environ.setdefault("JICENG_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.config.settings")

import pytest


@pytest.fixture
def cast(db):
    from jiceng.core.testing import build_cast

    return build_cast()


@pytest.fixture
def seeded_policies(cast):
    """Every bundled policy seed, loaded for the cast's tree (rules as data, as in production)."""
    from jiceng.core.testing import load_seed_policies

    return load_seed_policies()


@pytest.fixture
def api():
    """An API client factory: ``api(user)`` is authenticated with that user's token; ``api()`` anonymous."""
    from rest_framework.test import APIClient

    from jiceng.accounts.services import do_issue_token

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {do_issue_token(user)}")
        return client

    return make


@pytest.fixture(autouse=True)
def _clear_login_throttle():
    from django.core.cache import cache

    cache.clear()
    yield
