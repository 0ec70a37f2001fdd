"""The Chinese workday calendar: public holidays and make-up workdays (调休).

Sources, per year:

1. the ``chinesecalendar`` package (official State Council schedules; 1.11 knows 2004–2026);
2. the editable tables ``HolidaySchedule``/``CalendarDay`` (administrators enter a year when
   the State Council publishes it; rows override the package day by day);
3. otherwise Monday–Friday, and ``is_provisional`` is true for that year.

Definitions (pinned by tests):

- ``add_workdays(d, n)``: for ``n >= 1`` the n-th workday strictly *after* ``d``; for
  ``n <= -1`` the n-th workday strictly *before* ``d``; ``n == 0`` returns ``d`` unchanged.
- ``workdays_between(a, b)``: the number of workdays ``x`` with ``a < x <= b`` (negative
  when ``b < a``), so ``add_workdays(a, workdays_between(a, b)) <= b``.

Each year is computed once per process and kept until a schedule is loaded (the service
clears the cache; other processes notice the shared generation stamp).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

GENERATION_KEY = "jiceng:calendar:generation"
GENERATION_CHECK_SECONDS = 5.0
SATURDAY = 5


@dataclass(frozen=True)
class YearCalendar:
    year: int
    holidays: frozenset[dt.date]  # weekdays (or any day) off
    workdays: frozenset[dt.date]  # weekend days worked (调休)
    provisional: bool
    source: str  # "package", "table", "package+table" or "fallback"

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < SATURDAY


def _package_year(year: int) -> tuple[set[dt.date], set[dt.date]] | None:
    from chinese_calendar import constants

    holidays = {d for d in constants.holidays if d.year == year}
    if not holidays:
        return None
    return holidays, {d for d in constants.workdays if d.year == year}


def _table_year(year: int) -> tuple[bool, dict[dt.date, str]]:
    from jiceng.core.deadlines.models import CalendarDay, HolidaySchedule

    loaded = HolidaySchedule.objects.filter(year=year, is_loaded=True).exists()
    days = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "kind"))
    return loaded, days


def build_year(year: int) -> YearCalendar:
    package = _package_year(year)
    loaded, table_days = _table_year(year)
    holidays, workdays = package if package else (set(), set())
    for day, kind in table_days.items():
        if kind == "holiday":
            holidays.add(day)
            workdays.discard(day)
        else:
            workdays.add(day)
            holidays.discard(day)
    if package and (loaded or table_days):
        source = "package+table"
    elif package:
        source = "package"
    elif loaded:
        source = "table"
    else:
        source = "fallback"
    return YearCalendar(year, frozenset(holidays), frozenset(workdays), provisional=source == "fallback", source=source)


class _Years:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._years: dict[int, YearCalendar] = {}
        self._generation: Any = None
        self._checked_at = 0.0
        self.bypass = False

    def get(self, year: int) -> YearCalendar:
        if self.bypass:
            return build_year(year)
        now = time.monotonic()
        if now - self._checked_at > GENERATION_CHECK_SECONDS:
            self._checked_at = now
            generation = cache.get(GENERATION_KEY)
            if generation != self._generation:
                with self._lock:
                    self._generation = generation
                    self._years = {}
        found = self._years.get(year)
        if found is None:
            found = build_year(year)
            with self._lock:
                self._years[year] = found
        return found

    def clear(self) -> None:
        with self._lock:
            self._years = {}
            self.bypass = False
        cache.set(GENERATION_KEY, time.time_ns(), None)

    def written(self) -> None:
        """A schedule row changed in the current transaction: read the tables until it commits
        (so a rolled-back load never leaves a stale year behind), then forget every year."""
        from django.db import transaction

        with self._lock:
            self._years = {}
            self.bypass = True
        transaction.on_commit(self.clear)


_years = _Years()


def clear_calendar_cache() -> None:
    """Forget every computed year (called when a schedule or a day is saved)."""
    _years.clear()


def calendar_written(sender: Any = None, **kwargs: Any) -> None:
    """post_save/post_delete receiver for the schedule tables (connected in ``apps.ready``)."""
    _years.written()


def year_calendar(year: int) -> YearCalendar:
    return _years.get(year)


def is_workday(day: dt.date) -> bool:
    return _years.get(day.year).is_workday(day)


def is_provisional(day: dt.date) -> bool:
    """True when the year of ``day`` has no official schedule (Monday–Friday fallback)."""
    return _years.get(day.year).provisional


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The ``days``-th workday after ``start`` (before it when negative; ``start`` itself for 0)."""
    if days == 0:
        return start
    step = dt.timedelta(days=1 if days > 0 else -1)
    remaining = abs(days)
    day = start
    while remaining:
        day += step
        if is_workday(day):
            remaining -= 1
    return day


def add_workdays_flagged(start: dt.date, days: int) -> tuple[dt.date, bool]:
    """``add_workdays`` plus whether any year it crossed is provisional."""
    result = add_workdays(start, days)
    low, high = sorted((start.year, result.year))
    return result, any(_years.get(year).provisional for year in range(low, high + 1))


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Workdays ``x`` with ``a < x <= b``; negative (−count of ``b < x <= a``) when ``b < a``."""
    if b == a:
        return 0
    if b < a:
        return -workdays_between(b, a)
    count = 0
    day = a
    one = dt.timedelta(days=1)
    while day < b:
        day += one
        if is_workday(day):
            count += 1
    return count


def provisional_years(a: dt.date, b: dt.date) -> list[int]:
    low, high = sorted((a.year, b.year))
    return [year for year in range(low, high + 1) if _years.get(year).provisional]
