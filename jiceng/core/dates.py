"""Calendar-month arithmetic shared by every module (terms, probations, validity periods).

Workday arithmetic (holidays, make-up days) is ``jiceng.core.deadlines.calendar``; this is the
plain calendar: "three years from 2024-02-29" is 2027-02-28.
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (negative: back), clipped to the month's end."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def full_months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (``add_months(start, n) <= end``); negative backwards."""
    if end < start:
        return -full_months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)
