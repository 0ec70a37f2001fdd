import pytest


@pytest.fixture
def party_cast(db):
    """The core cast with party roles and the seeded policies (see jiceng/party/testing.py)."""
    from jiceng.core.testing import build_cast, load_seed_policies
    from jiceng.party.testing import PARTY_ROLES

    cast = build_cast(extra_roles=PARTY_ROLES)
    load_seed_policies()
    return cast
