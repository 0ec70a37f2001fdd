import datetime as dt

import pytest

from jiceng.core.deadlines.models import LOCAL_TZ

TODAY = dt.date(2026, 7, 8)  # a Wednesday of the summer enrolment season


@pytest.fixture
def now():
    import time_machine

    moment = dt.datetime.combine(TODAY, dt.time(10), tzinfo=LOCAL_TZ)
    with time_machine.travel(moment, tick=False):
        yield moment


@pytest.fixture
def cast(education_cast):
    return education_cast


@pytest.fixture
def yandian(cast):
    return cast.area("燕店镇")
