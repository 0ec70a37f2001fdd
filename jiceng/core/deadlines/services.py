"""Writes of the deadlines engine: holiday schedules, reminders, provisional deadlines.

Alerts go through ``jiceng.core.alerts.services`` (imported lazily: the alerts engine is a
sibling; when it is not installed the alert is logged and skipped).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit, services
from jiceng.core.deadlines import calendar
from jiceng.core.deadlines.models import (
    OPEN_STATES,
    CalendarDay,
    DayKind,
    DeadlineState,
    HolidaySchedule,
    Reminder,
)
from jiceng.core.deadlines.registry import deadline_models
from jiceng.core.models import AuditAction

logger = logging.getLogger(__name__)

SCHEDULE_MISSING_RULE = "calendar.schedule_missing"
REMINDER_RULE = "deadlines.reminder_overdue"


# --- the alerts bridge -------------------------------------------------------------------
def raise_alert(**kwargs: Any) -> Any:
    """``jiceng.core.alerts.services.raise_alert`` when the alerts engine is there (contract), else a log line."""
    try:
        from jiceng.core.alerts.services import raise_alert as real
    except ImportError:
        logger.warning("alerts engine missing; alert %s not raised: %s", kwargs.get("rule"), kwargs.get("explanation"))
        return None
    return real(**kwargs)


def resolve_alert(**kwargs: Any) -> int:
    try:
        from jiceng.core.alerts.services import resolve_alert as real
    except ImportError:
        return 0
    return int(real(**kwargs))


# --- provisional years --------------------------------------------------------------------
def note_provisional_years(years: Iterable[int]) -> list[HolidaySchedule]:
    """A deadline was computed Monday–Friday in these years: keep a placeholder schedule row per
    year and alert the administrators (one open alert per year; raised after commit)."""
    placeholders = []
    for year in sorted(set(years)):
        schedule, _created = HolidaySchedule.objects.get_or_create(year=year)
        if schedule.is_loaded:
            continue
        placeholders.append(schedule)
        explanation = _(
            "No official holiday schedule is loaded for %(year)s: deadlines falling in %(year)s are computed "
            "Monday to Friday and marked provisional. Load the State Council's holiday notice for %(year)s "
            "(Rules and calendar → Holiday schedules); provisional deadlines are then recomputed."
        ) % {"year": year}
        transaction.on_commit(
            lambda s=schedule, e=explanation: raise_alert(
                rule=SCHEDULE_MISSING_RULE,
                subject=s,
                severity="orange",
                explanation=e,
                evidence={"year": s.year},
                area_path="",
            )
        )
    return placeholders


def compute_workday_deadline(start: dt.date, workdays: int) -> tuple[dt.date, bool]:
    """``add_workdays`` for a deadline: also records (and alerts on) provisional years."""
    due_on, provisional = calendar.add_workdays_flagged(start, workdays)
    if provisional:
        note_provisional_years(calendar.provisional_years(start, due_on))
    return due_on, provisional


# --- holiday schedules ---------------------------------------------------------------------
def _parse_days(year: int, days: Iterable[Mapping[str, Any] | tuple[Any, ...]]) -> list[tuple[dt.date, str, str]]:
    parsed: list[tuple[dt.date, str, str]] = []
    errors: list[str] = []
    for number, item in enumerate(days, start=1):
        if isinstance(item, Mapping):
            raw_date, kind, name = item.get("date"), item.get("kind"), item.get("name", "")
        else:
            raw_date, kind, name = [*list(item), ""][:3]
        try:
            day = raw_date if isinstance(raw_date, dt.date) else dt.date.fromisoformat(str(raw_date))
        except ValueError:
            errors.append(_("line %(n)s: “%(value)s” is not a date") % {"n": number, "value": raw_date})
            continue
        if day.year != year:
            errors.append(_("line %(n)s: %(day)s is not in %(year)s") % {"n": number, "day": day, "year": year})
        if kind not in DayKind.values:
            errors.append(_("line %(n)s: kind must be holiday or workday") % {"n": number})
        parsed.append((day, str(kind), str(name or "")))
    dates = [d for d, _k, _n in parsed]
    if len(dates) != len(set(dates)):
        errors.append(_("a date is listed twice"))
    if not parsed and not errors:
        errors.append(_("the schedule lists no days"))
    if errors:
        raise ValidationError({"days": errors}, code="invalid_schedule")
    return parsed


def do_load_holiday_schedule(
    year: int,
    days: Iterable[Mapping[str, Any] | tuple[Any, ...]],
    source: str,
    *,
    acting_user: Any = None,
    notes: str = "",
) -> HolidaySchedule:
    """Load (or replace) ``year``'s holidays and make-up workdays, then recompute provisional deadlines.

    ``days``: ``(date, "holiday"|"workday", name)`` tuples or dicts. Every line is checked
    before anything is written. Audited; clears the calendar cache; resolves the
    ``calendar.schedule_missing`` alert after commit.
    """
    services.check_permission(HolidaySchedule, acting_user, "change")
    parsed = _parse_days(year, days)
    if not source.strip():
        raise ValidationError({"loaded_from": _("Say where the schedule comes from (document or URL).")})
    with transaction.atomic():
        schedule, _created = HolidaySchedule.objects.select_for_update(no_key=True).get_or_create(year=year)
        before = audit.snapshot(schedule)
        before["days"] = [[d.isoformat(), k, n] for d, k, n in schedule.days.values_list("date", "kind", "name")]
        schedule.days.all().delete()
        CalendarDay.objects.bulk_create([CalendarDay(schedule=schedule, date=d, kind=k, name=n) for d, k, n in parsed])
        schedule.is_loaded = True
        schedule.loaded_from = source.strip()
        schedule.loaded_at = timezone.now()
        schedule.notes = notes or schedule.notes
        schedule.save(update_fields=["is_loaded", "loaded_from", "loaded_at", "notes", "updated_at"])
        calendar.calendar_written()
        after = audit.snapshot(schedule)
        after["days"] = [[d.isoformat(), k, n] for d, k, n in parsed]
        audit.record(AuditAction.UPDATE, schedule, actor=acting_user, before=before, after=after, comment=source)
        recompute_provisional_deadlines()
        transaction.on_commit(lambda: resolve_alert(rule=SCHEDULE_MISSING_RULE, subject=schedule))
    return schedule


def recompute_provisional_deadlines() -> dict[str, int]:
    """Recompute every open provisional deadline of every registered model with a ``recompute`` hook."""
    counts: dict[str, int] = {}
    for entry in deadline_models():
        if entry.recompute is None:
            continue
        rows = entry.model._base_manager.filter(deadline_provisional=True, deadline_state__in=OPEN_STATES)
        changed = 0
        for row in rows.iterator(chunk_size=500):
            fresh = entry.recompute(row)
            names = [name for name, value in fresh.items() if getattr(row, name) != value]
            if names:
                for name in names:
                    setattr(row, name, fresh[name])
                row.save(update_fields=names)
                changed += 1
        counts[entry.model._meta.label_lower] = changed
    return counts


# --- reminders ---------------------------------------------------------------------------
def do_create_reminder(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Reminder:
    """Create a reminder; its deadline comes from the workday calendar (``Reminder.clean``)."""
    with transaction.atomic():
        reminder = services.do_create(Reminder, data=data, acting_user=acting_user, comment=comment)
        if reminder.deadline_provisional:
            note_provisional_years(calendar.provisional_years(reminder.start_on, reminder.due_on or reminder.start_on))
    return reminder


def do_update_reminder(reminder: Reminder, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Reminder:
    with transaction.atomic():
        reminder = services.do_update(reminder, data=data, acting_user=acting_user, comment=comment)
        if reminder.deadline_provisional:
            note_provisional_years(calendar.provisional_years(reminder.start_on, reminder.due_on or reminder.start_on))
    return reminder


def do_complete_reminder(reminder: Reminder, *, acting_user: Any, comment: str = "") -> Reminder:
    """Mark done (compare-and-set: a reminder completes once) and close its alert."""
    with transaction.atomic():
        before = audit.snapshot(reminder)
        moved = Reminder._base_manager.filter(pk=reminder.pk, deadline_state__in=[*OPEN_STATES, "escalated"]).update(
            deadline_state=DeadlineState.DONE, updated_at=timezone.now()
        )
        if not moved:
            raise ValidationError(_("This reminder is already done."), code="already_done")
        reminder.refresh_from_db()
        services.check_conformance(reminder, acting_user, "change")
        audit.record(
            AuditAction.UPDATE,
            reminder,
            actor=acting_user,
            before=before,
            after=audit.snapshot(reminder),
            comment=comment,
        )
        transaction.on_commit(lambda: resolve_alert(rule=REMINDER_RULE, subject=reminder, acting_user=acting_user))
    return reminder


SEVERITY_FOR_STATE = {DeadlineState.WARNED: "blue", DeadlineState.OVERDUE: "yellow", DeadlineState.ESCALATED: "orange"}


def reminder_moved(state: str, rows: list[Reminder]) -> None:
    """Scanner hook: one alert per reminder that became overdue or escalated (warnings are shown, not alerted)."""
    if state == DeadlineState.WARNED:
        return
    for reminder in rows:
        raise_alert(
            rule=REMINDER_RULE,
            subject=reminder,
            severity=SEVERITY_FOR_STATE[DeadlineState(state)],
            explanation=_("“%(subject)s” was due on %(due)s (%(days)s workdays from %(start)s) and is %(state)s.")
            % {
                "subject": reminder.subject,
                "due": reminder.due_on,
                "days": reminder.workdays,
                "start": reminder.start_on,
                "state": DeadlineState(state).label,
            },
            evidence={"due_on": str(reminder.due_on), "state": state, "provisional": reminder.deadline_provisional},
            area_path=reminder.area_path,
            assignee=reminder.assignee,
        )


def reminder_recompute(reminder: Reminder) -> dict[str, Any]:
    return reminder.compute_deadline_fields()


def open_items(model: type[models.Model]) -> models.QuerySet[Any]:
    return model._base_manager.filter(deadline_state__in=OPEN_STATES)
