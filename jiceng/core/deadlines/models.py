"""Deadlines: the editable holiday tables, the deadline columns any model can carry, and ``Reminder``.

``DeadlineMixin`` adds ``due_at``/``warn_at``/``escalate_at``, a ``deadline_state`` that only
the scanner moves forward (pending → warned → overdue → escalated; modules set ``done``), and
``deadline_provisional`` (computed in a year without an official holiday schedule). A
concrete model adds ``deadline_indexes("<prefix>")`` to its ``Meta.indexes`` (partial indexes
over open rows) and registers itself with ``registry.register_deadline_model``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import ScopedModel, TimeStampedModel
from jiceng.core.scope import permission_name, user_scope_paths

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday (day off)")
    WORKDAY = "workday", _("make-up workday")


class DeadlineState(models.TextChoices):
    PENDING = "pending", _("pending")
    WARNED = "warned", _("due soon")
    OVERDUE = "overdue", _("overdue")
    ESCALATED = "escalated", _("escalated")
    DONE = "done", _("done")


OPEN_STATES = (DeadlineState.PENDING, DeadlineState.WARNED, DeadlineState.OVERDUE)


class InstallationQuerySet(models.QuerySet[Any]):
    """Rows that belong to the whole installation (not to an Area): all or nothing by permission."""

    def restrict(self, user: Any, action: str = "view") -> InstallationQuerySet:
        if not user_scope_paths(user, permission_name(self.model, action)):
            return self.none()
        return self.all()


class HolidaySchedule(TimeStampedModel):
    """One year's official holiday schedule (国务院办公厅关于…部分节假日安排的通知).

    A row with ``is_loaded=False`` is a placeholder created when a deadline was computed for a
    year nobody has loaded yet: the alert ``calendar.schedule_missing`` points at it.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    is_loaded = models.BooleanField(_("loaded"), default=False)
    loaded_from = models.CharField(_("loaded from"), max_length=300, blank=True, help_text=_("Document or URL."))
    loaded_at = models.DateTimeField(_("loaded at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = InstallationQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday schedule")
        verbose_name_plural = _("holiday schedules")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("deadlines:holidayschedule_detail", args=[self.pk])


class CalendarDay(models.Model):
    """One exception to Monday–Friday: a weekday off or a weekend day worked (调休)."""

    schedule = models.ForeignKey(HolidaySchedule, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. 春节"))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.name}"


def local_midnight(day: dt.date) -> dt.datetime:
    """00:00 Asia/Shanghai at the start of ``day`` (an aware datetime)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TZ)


def end_of_day(day: dt.date) -> dt.datetime:
    """The instant ``day`` ends in Asia/Shanghai: overdue from then on."""
    return local_midnight(day + dt.timedelta(days=1))


class DeadlineMixin(models.Model):
    """Deadline columns for any item with a due date (see the module docstring)."""

    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    escalate_at = models.DateTimeField(_("escalate at"), null=True, blank=True)
    deadline_state = models.CharField(
        _("deadline state"), max_length=10, choices=DeadlineState.choices, default=DeadlineState.PENDING
    )
    deadline_provisional = models.BooleanField(
        _("provisional deadline"),
        default=False,
        help_text=_("Computed Monday–Friday because no official holiday schedule was loaded for that year."),
    )

    class Meta:
        abstract = True

    def deadline_status(self, now: dt.datetime) -> str:
        """The state the scanner would give this row at ``now`` (pure; for display and tests)."""
        if self.deadline_state == DeadlineState.DONE:
            return DeadlineState.DONE
        if self.escalate_at and self.escalate_at <= now:
            return DeadlineState.ESCALATED
        if self.due_at and self.due_at <= now:
            return DeadlineState.OVERDUE
        if self.warn_at and self.warn_at <= now:
            return DeadlineState.WARNED
        return DeadlineState.PENDING


def deadline_indexes(prefix: str) -> list[models.Index]:
    """Partial indexes over open rows for the scanner's three queries (names ``<prefix>_dl_*``)."""
    return [
        models.Index(fields=["due_at"], name=f"{prefix}_dl_due", condition=Q(deadline_state__in=["pending", "warned"])),
        models.Index(fields=["warn_at"], name=f"{prefix}_dl_warn", condition=Q(deadline_state="pending")),
        models.Index(
            fields=["escalate_at"],
            name=f"{prefix}_dl_esc",
            condition=Q(deadline_state__in=["pending", "warned", "overdue"]),
        ),
    ]


class Reminder(DeadlineMixin, ScopedModel):
    """A generic task with a workday deadline (限期办理): subject, Area, assignee, deadline columns.

    The deadline is ``workdays`` workdays after ``start_on``; warning ``warn_workdays``
    workdays before it, escalation ``escalate_workdays`` after it (0 = none). Modules that
    need nothing more than "do X by a date" use it instead of a model of their own.
    """

    scope_area_field = None
    scope_path_field = "area_path"

    subject = models.CharField(_("subject"), max_length=300)
    area_code = models.CharField(_("area code"), max_length=12, blank=True)
    area_path = models.CharField(_("area path"), max_length=255, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start_on = models.DateField(_("start date"))
    workdays = models.PositiveSmallIntegerField(_("workdays allowed"))
    warn_workdays = models.PositiveSmallIntegerField(_("warn workdays before"), default=1)
    escalate_workdays = models.PositiveSmallIntegerField(_("escalate workdays after"), default=2)
    due_on = models.DateField(_("due date"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    derived_fields = ("due_on", "due_at", "warn_at", "escalate_at", "deadline_provisional")

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "id"]
        indexes = deadline_indexes("reminder")

    def __str__(self) -> str:
        return self.subject

    def compute_deadline_fields(self) -> dict[str, Any]:
        """Due date, the three instants and the provisional flag from the workday calendar (pure read)."""
        from jiceng.core.deadlines.calendar import add_workdays, add_workdays_flagged

        due_on, provisional = add_workdays_flagged(self.start_on, self.workdays)
        warn_at = None
        if self.warn_workdays:
            warn_at = local_midnight(add_workdays(due_on, -self.warn_workdays))
        escalate_at = None
        if self.escalate_workdays:
            escalate_on, late_provisional = add_workdays_flagged(due_on, self.escalate_workdays)
            escalate_at = end_of_day(escalate_on)
            provisional = provisional or late_provisional
        return {
            "due_on": due_on,
            "due_at": end_of_day(due_on),
            "warn_at": warn_at,
            "escalate_at": escalate_at,
            "deadline_provisional": provisional,
        }

    def clean(self) -> None:
        if self.start_on is not None and self.workdays is not None:
            for name, value in self.compute_deadline_fields().items():
                setattr(self, name, value)
