import datetime as dt

import pytest

TODAY = dt.date(2026, 11, 16)


@pytest.fixture
def today():
    """Every group-work test runs on Monday 2026-11-16, 10:00 in Shanghai."""
    import time_machine

    from jiceng.core.deadlines.models import LOCAL_TZ

    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10), tzinfo=LOCAL_TZ), tick=False):
        yield TODAY


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def gw(education_cast, today, media):
    """The education cast with the group-plan checklists, and a group led from 燕店镇 with a member
    school in 东村; 古云镇 (the outsider's township, same county) has a school outside the group."""
    from jiceng.education.groupwork.services import load_plan_templates
    from jiceng.education.groupwork.tests.factories import add_member, make_group
    from jiceng.education.testing import make_school

    load_plan_templates()
    cast = education_cast
    cast.county = cast.area("莘县")
    cast.group = make_group(cast.county, lead_school=make_school(cast.area("燕店镇"), name="燕店镇中心小学"))
    cast.member = add_member(cast.group, make_school(cast.area("东村"), name="东村小学"))
    cast.outside_school = make_school(cast.area("古云镇"), name="古云镇小学")
    return cast
