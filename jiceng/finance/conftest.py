import pytest


@pytest.fixture
def finance_cast(db):
    """The core cast with finance roles and the seeded policies (see jiceng/finance/testing.py)."""
    from jiceng.core.testing import build_cast, load_seed_policies
    from jiceng.finance.testing import FINANCE_ROLES

    cast = build_cast(extra_roles=FINANCE_ROLES)
    load_seed_policies()
    return cast
