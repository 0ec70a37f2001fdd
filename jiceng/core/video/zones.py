"""Restricted zones and times: a polygon in normalised 0–1 frame coordinates and weekly time windows.

A zone is ``[[x, y], …]`` (at least three points, 0 ≤ x, y ≤ 1, x to the right, y downwards). A
window is ``{"weekdays": [1, …, 7], "start": "HH:MM", "end": "HH:MM"}`` with ISO weekdays
(Monday = 1); ``end`` before ``start`` runs over midnight (the night belongs to the start day);
``"24:00"`` ends at midnight. No windows: the zone is restricted at all times.

The text forms used by the camera form: zone ``0.1,0.2; 0.9,0.2; 0.9,0.9`` and windows
``1-5 18:00-08:00; 6,7 00:00-24:00``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.errors import InvalidInput

_TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def _minutes(text: str, field: str) -> int:
    match = _TIME.match(str(text).strip())
    if not match or (match.group(1) == "24" and match.group(2) != "00"):
        raise InvalidInput(_("“%(text)s” is not a time of day (HH:MM).") % {"text": text}, field=field)
    return int(match.group(1)) * 60 + int(match.group(2))


def clean_zone(points: Any, field: str = "zone") -> list[list[float]]:
    """A validated polygon (``[]`` for none); raises ``InvalidInput``."""
    if points in (None, "", []):
        return []
    if not isinstance(points, Sequence) or isinstance(points, str):
        raise InvalidInput(_("The zone must be a list of [x, y] points."), field=field)
    cleaned: list[list[float]] = []
    for point in points:
        try:
            x, y = (float(v) for v in point)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(_("The zone must be a list of [x, y] points."), field=field) from exc
        if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
            raise InvalidInput(
                _("Zone points are fractions of the frame: %(x)s, %(y)s is outside 0–1.") % {"x": x, "y": y},
                field=field,
            )
        cleaned.append([round(x, 4), round(y, 4)])
    if len(cleaned) < 3:
        raise InvalidInput(_("A zone needs at least three points."), field=field)
    return cleaned


def clean_windows(windows: Any, field: str = "zone_windows") -> list[dict[str, Any]]:
    """Validated time windows (``[]``: always restricted); raises ``InvalidInput``."""
    if windows in (None, "", []):
        return []
    if not isinstance(windows, Sequence) or isinstance(windows, str):
        raise InvalidInput(_("Restricted times must be a list of windows."), field=field)
    cleaned = []
    for window in windows:
        if not isinstance(window, dict):
            raise InvalidInput(_("Restricted times must be a list of windows."), field=field)
        try:
            days = sorted({int(d) for d in window.get("weekdays") or range(1, 8)})
        except (TypeError, ValueError) as exc:
            raise InvalidInput(_("Weekdays are numbers from 1 (Monday) to 7 (Sunday)."), field=field) from exc
        if any(d < 1 or d > 7 for d in days):
            raise InvalidInput(_("Weekdays are numbers from 1 (Monday) to 7 (Sunday)."), field=field)
        start, end = str(window.get("start", "")), str(window.get("end", ""))
        if _minutes(start, field) == _minutes(end, field):
            raise InvalidInput(_("A time window must not start and end at the same time."), field=field)
        cleaned.append({"weekdays": days, "start": start.strip(), "end": end.strip()})
    return cleaned


def parse_zone_text(text: str) -> list[list[float]]:
    """``0.1,0.2; 0.9,0.2; 0.9,0.9`` → ``[[0.1, 0.2], …]`` (validated)."""
    text = (text or "").strip()
    if not text:
        return []
    points = []
    for chunk in text.replace("；", ";").split(";"):
        if chunk.strip():
            points.append([v.strip() for v in chunk.replace("，", ",").split(",")])
    return clean_zone(points)


def _weekday_set(text: str) -> list[int]:
    days: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            first, last = (int(v) for v in part.split("-", 1))
            days.update(range(first, last + 1))
        elif part:
            days.add(int(part))
    return sorted(days)


def parse_windows_text(text: str) -> list[dict[str, Any]]:
    """``1-5 18:00-08:00; 6,7 00:00-24:00`` → windows (validated)."""
    text = (text or "").strip()
    if not text:
        return []
    windows = []
    for chunk in text.replace("；", ";").split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        try:
            days_text, times = chunk.rsplit(" ", 1)
            start, end = times.split("-", 1)
            days = _weekday_set(days_text)
        except ValueError as exc:
            raise InvalidInput(
                _("Write each window as “weekdays HH:MM-HH:MM”, e.g. “1-5 18:00-08:00”."), field="zone_windows"
            ) from exc
        windows.append({"weekdays": days, "start": start, "end": end})
    return clean_windows(windows)


def zone_text(zone: list[list[float]]) -> str:
    return "; ".join(f"{x:g},{y:g}" for x, y in zone)


def windows_text(windows: list[dict[str, Any]]) -> str:
    return "; ".join(f"{','.join(str(d) for d in w['weekdays'])} {w['start']}-{w['end']}" for w in windows)


def point_in_zone(x: float, y: float, zone: list[list[float]]) -> bool:
    """Ray casting: whether the normalised point lies inside the polygon (edges count as inside)."""
    inside = False
    n = len(zone)
    for i in range(n):
        x1, y1 = zone[i]
        x2, y2 = zone[(i + 1) % n]
        # on an edge
        cross = (x - x1) * (y2 - y1) - (y - y1) * (x2 - x1)
        if (
            abs(cross) < 1e-9
            and min(x1, x2) - 1e-9 <= x <= max(x1, x2) + 1e-9
            and min(y1, y2) - 1e-9 <= y <= max(y1, y2) + 1e-9
        ):
            return True
        if (y1 > y) != (y2 > y):
            x_at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < x_at:
                inside = not inside
    return inside


def is_restricted_at(windows: list[dict[str, Any]], moment: dt.datetime) -> bool:
    """Whether ``moment`` (any aware time; judged in local time) falls in one of the windows."""
    if not windows:
        return True
    local = timezone.localtime(moment)
    minute = local.hour * 60 + local.minute
    today = local.isoweekday()
    yesterday = 7 if today == 1 else today - 1
    for window in windows:
        start, end = _minutes(window["start"], "zone_windows"), _minutes(window["end"], "zone_windows")
        days = window["weekdays"]
        if start < end:
            if today in days and start <= minute < end:
                return True
        else:  # over midnight: from start on the listed day to end the next morning
            if today in days and minute >= start:
                return True
            if yesterday in days and minute < end:
                return True
    return False
