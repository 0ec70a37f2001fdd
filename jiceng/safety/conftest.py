import pytest


@pytest.fixture
def safety_cast(db):
    """The core cast with safety roles and the seeded policies (see jiceng/safety/testing.py)."""
    from jiceng.core.testing import build_cast, load_seed_policies
    from jiceng.safety.testing import SAFETY_ROLES

    cast = build_cast(extra_roles=SAFETY_ROLES)
    load_seed_policies()
    return cast
