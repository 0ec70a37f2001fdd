import datetime as dt

import pytest

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def now():
    import time_machine

    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def plant(safety_cast):
    """An enterprise in 东村 (燕店镇)."""
    from jiceng.safety.testing import make_enterprise

    return make_enterprise(safety_cast.area("东村"), name="莘县示例化工有限公司")


@pytest.fixture
def permit_data(plant, now):
    """A level-2 hot-work permit starting in an hour, valid 8 hours; ``permit_data(**changes)``."""

    def make(**changes):
        return {
            "enterprise": plant,
            "work_type": "hot_work",
            "hot_work_level": "2",
            "location": "1#罐区管线",
            "content": "管线焊接",
            "workers": 3,
            "applicant": "张伟",
            "guardian": "李强",
            "valid_from": now + dt.timedelta(hours=1),
            "valid_until": now + dt.timedelta(hours=9),
            **changes,
        }

    return make
