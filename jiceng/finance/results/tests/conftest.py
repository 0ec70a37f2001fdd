import datetime as dt

import pytest


@pytest.fixture
def today():
    """Every results test runs on Monday 2026-11-16, 10:00 in Shanghai (the demo year is 2026)."""
    import time_machine

    from jiceng.core.deadlines.models import LOCAL_TZ
    from jiceng.finance.results.tests.helpers import TODAY

    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10), tzinfo=LOCAL_TZ), tick=False):
        yield TODAY


@pytest.fixture
def fr(finance_cast, today):
    """The finance cast on the fixed day, with a department and a project in 燕店镇 (the bureau is
    county_admin, the department's staff township_staff)."""
    from jiceng.finance.testing import make_project, make_unit

    finance_cast.department = make_unit(finance_cast.area("燕店镇"), name="燕店镇农业办")
    finance_cast.project = make_project(finance_cast.department, budget="1000000", name="高标准农田建设")
    finance_cast.staff = finance_cast.township_staff
    finance_cast.bureau = finance_cast.county_admin
    return finance_cast
