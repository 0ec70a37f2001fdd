import datetime as dt

import pytest

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def school_year(education_cast):
    """莘县's 2026 school year (the factories' default start)."""
    from jiceng.education.testing import make_school_year

    return make_school_year(education_cast.area("莘县"), 2026)


@pytest.fixture
def window(school_year):
    """The transfer window of the school year under the policy (read, never written here)."""
    from jiceng.core.dates import add_months
    from jiceng.core.policies.services import get_policy
    from jiceng.education.transfers.rules import WINDOW_MONTHS

    months = get_policy(WINDOW_MONTHS, area_path=school_year.area.path, on=school_year.starts_on).value
    closes = add_months(school_year.starts_on, months) - dt.timedelta(days=1)
    return {"opens": school_year.starts_on, "closes": closes, "months": months}


@pytest.fixture
def today(window):
    """Travel to a day inside the window (the application date)."""
    import time_machine

    day = window["opens"] + dt.timedelta(days=2)
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI), tick=False):
        yield day


@pytest.fixture
def cap(education_cast):
    from jiceng.core.policies.services import get_policy
    from jiceng.education.sizes import CAP

    return get_policy(CAP, area_path=education_cast.area("燕店镇").path, on=dt.date(2026, 9, 1)).value


@pytest.fixture
def schools(education_cast, school_year):
    """Two primary schools of 燕店镇: the student's (from) and the receiving one (to)."""
    from jiceng.education.testing import make_school

    township = education_cast.area("燕店镇")
    return {
        "from": make_school(township, name="燕店镇中心小学"),
        "to": make_school(township, name="燕店镇实验小学", location="urban"),
    }


@pytest.fixture
def pupil(schools):
    """A grade-3 pupil registered (2026) at the from school."""
    from jiceng.education.testing import make_class, make_student

    return make_student(make_class(schools["from"], grade=3))


@pytest.fixture
def target(schools):
    """Grade 3 class 1 of the receiving school (empty)."""
    from jiceng.education.testing import make_class

    return make_class(schools["to"], grade=3, number=1)


@pytest.fixture
def application(pupil, target, today):
    """``application(**changes)``: the data of an application into ``target`` on a day inside the window."""

    def make(**changes):
        return {"student": pupil, "to_class": target, "on": today + dt.timedelta(days=1), **changes}

    return make


@pytest.fixture
def counts():
    """Row counts a refusal must leave unchanged."""
    from jiceng.core.models import AuditEntry
    from jiceng.core.workflow.models import TransitionLog
    from jiceng.education.models import Enrollment, Student
    from jiceng.education.transfers.models import Transfer

    def read():
        return (
            Transfer.objects.count(),
            Enrollment.objects.count(),
            Enrollment.objects.filter(ended_on__isnull=True).count(),
            tuple(Student.objects.order_by("id").values_list("id", "area_id")),
            AuditEntry.objects.count(),
            TransitionLog.objects.count(),
        )

    return read
