import pytest


@pytest.fixture
def education_cast(db):
    """The core cast with education roles and the seeded policies (see jiceng/education/testing.py)."""
    from jiceng.core.testing import build_cast, load_seed_policies
    from jiceng.education.testing import EDUCATION_ROLES

    cast = build_cast(extra_roles=EDUCATION_ROLES)
    load_seed_policies()
    return cast
