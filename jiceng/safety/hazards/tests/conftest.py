import datetime as dt

import pytest


@pytest.fixture
def today():
    """Every hazard test runs on Monday 2026-11-16, 10:00 in Shanghai."""
    import time_machine

    from jiceng.core.deadlines.models import LOCAL_TZ
    from jiceng.safety.hazards.tests.helpers import TODAY

    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10), tzinfo=LOCAL_TZ), tick=False):
        yield TODAY


@pytest.fixture
def hz(safety_cast, today):
    """The safety cast, on the fixed day, with an enterprise (and profile) in 东村."""
    from jiceng.safety.hazards.tests.helpers import enterprise

    safety_cast.company = enterprise(safety_cast.area("东村"))
    safety_cast.staff = safety_cast.township_staff
    return safety_cast


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
