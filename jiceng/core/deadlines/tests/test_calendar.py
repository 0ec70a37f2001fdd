"""The workday calendar: numbers pinned against the official 2026 schedule and the 2027 fallback."""

from __future__ import annotations

import datetime as dt

import pytest

from jiceng.core.deadlines.calendar import (
    add_workdays,
    add_workdays_flagged,
    is_provisional,
    is_workday,
    workdays_between,
)
from jiceng.core.deadlines.services import do_load_holiday_schedule

pytestmark = pytest.mark.django_db
D = dt.date


def test_five_workdays_after_2026_09_30_cross_national_day():
    # The State Council 2026 schedule (as shipped in chinesecalendar 1.11): 10-01..10-07 off (Thu..Wed),
    # Saturday 10-10 is a make-up workday. Counting from Wed 09-30: Thu 10-08 (1), Fri 10-09 (2),
    # Sat 10-10 (3, make-up), Mon 10-12 (4), Tue 10-13 (5). Plain Mon–Fri would give 10-07.
    assert add_workdays(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert not is_provisional(D(2026, 9, 30))


def test_make_up_saturday_counts_and_holiday_weekday_does_not():
    assert is_workday(D(2026, 10, 10))  # Saturday worked
    assert is_workday(D(2026, 2, 14))  # Saturday before Spring Festival
    assert not is_workday(D(2026, 10, 1))  # Thursday, National Day
    assert not is_workday(D(2026, 10, 11))  # an ordinary Sunday
    assert workdays_between(D(2026, 10, 9), D(2026, 10, 12)) == 2  # Sat 10-10 and Mon 10-12


def test_spring_festival_2026_span():
    # Off Sun 02-15 .. Mon 02-23 (nine days); Sat 02-14 and Sat 02-28 are make-up workdays.
    assert [d for d in (D(2026, 2, 15) + dt.timedelta(n) for n in range(9)) if is_workday(d)] == []
    assert is_workday(D(2026, 2, 24)) and is_workday(D(2026, 2, 28))
    assert add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 14), 1) == D(2026, 2, 24)
    # February 2026: 20 Mon–Fri days, minus 6 weekday holidays (16, 17, 18, 19, 20, 23), plus 2 Saturdays.
    assert workdays_between(D(2026, 1, 31), D(2026, 2, 28)) == 20 - 6 + 2


def test_definitions_zero_negative_and_between():
    assert add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 3)
    assert add_workdays(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert add_workdays(D(2026, 10, 13), -5) == D(2026, 9, 30)
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert workdays_between(D(2026, 10, 13), D(2026, 9, 30)) == -5
    assert workdays_between(D(2026, 9, 30), D(2026, 9, 30)) == 0


def test_2027_is_provisional_until_loaded():
    start = D(2027, 9, 30)  # a Thursday
    assert is_provisional(start)
    assert add_workdays_flagged(start, 5) == (D(2027, 10, 7), True)  # Fri 1, Mon 4, Tue 5, Wed 6, Thu 7
    assert add_workdays_flagged(D(2026, 12, 30), 3) == (D(2027, 1, 4), True)  # crosses into 2027
    do_load_holiday_schedule(
        2027,
        [(D(2027, 10, d), "holiday", "国庆节") for d in range(1, 8)] + [(D(2027, 10, 9), "workday", "国庆节调休")],
        "test schedule",
    )
    assert not is_provisional(start)
    # Off 10-01..10-07, Sat 10-09 worked: 10-08 (1), 10-09 (2), 10-11 (3), 10-12 (4), 10-13 (5).
    assert add_workdays_flagged(start, 5) == (D(2027, 10, 13), False)


def test_table_overrides_the_package():
    do_load_holiday_schedule(2026, [(D(2026, 10, 12), "holiday", "本地测试")], "override test")
    assert not is_workday(D(2026, 10, 12))
    assert add_workdays(D(2026, 9, 30), 5) == D(2026, 10, 14)


def test_bad_schedule_writes_nothing():
    from django.core.exceptions import ValidationError

    from jiceng.core.deadlines.models import CalendarDay

    with pytest.raises(ValidationError):
        do_load_holiday_schedule(2027, [(D(2027, 1, 1), "holiday", ""), (D(2028, 1, 1), "holiday", "")], "bad")
    with pytest.raises(ValidationError):
        do_load_holiday_schedule(2027, [(D(2027, 1, 1), "vacation", "")], "bad")
    assert not CalendarDay.objects.exists() and is_provisional(D(2027, 1, 1))


class TestApi:
    def test_add_workdays(self, cast, api):
        client = api(cast.township_viewer)
        response = client.get("/api/v1/calendar/add-workdays/", {"date": "2026-09-30", "days": "5"})
        assert response.status_code == 200
        assert response.json()["date"] == "2026-10-13" and response.json()["provisional"] is False
        assert client.get("/api/v1/calendar/add-workdays/", {"date": "2027-09-30", "days": "5"}).json() == {
            "date": "2027-10-07",
            "provisional": True,
            "start": "2027-09-30",
            "days": 5,
        }

    def test_workdays_between(self, cast, api):
        response = api(cast.township_viewer).get(
            "/api/v1/calendar/workdays-between/", {"start": "2026-09-30", "end": "2026-10-13"}
        )
        assert response.json()["workdays"] == 5

    @pytest.mark.parametrize(
        ("params", "code"),
        [
            ({"date": "2026-02-30", "days": "5"}, "invalid_date"),
            ({"date": "2026-09-30", "days": "five"}, "invalid_number"),
            ({"date": "2026-09-30", "days": "99999"}, "out_of_range"),
            ({"days": "1"}, "invalid_date"),
        ],
    )
    def test_bad_input(self, cast, api, params, code):
        response = api(cast.township_viewer).get("/api/v1/calendar/add-workdays/", params)
        assert response.status_code == 400 and response.json()["code"] == code

    def test_anonymous_refused(self, api):
        assert api().get("/api/v1/calendar/add-workdays/", {"date": "2026-09-30", "days": "5"}).status_code in (
            401,
            403,
        )
