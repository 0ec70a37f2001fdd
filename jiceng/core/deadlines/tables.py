from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jiceng.core.deadlines.models import HolidaySchedule, Reminder


class HolidayScheduleTable(tables.Table):
    year = tables.Column(linkify=True)
    day_count = tables.Column(verbose_name=_("days"), accessor="days__count", orderable=False)

    class Meta:
        model = HolidaySchedule
        fields = ("year", "is_loaded", "loaded_from", "loaded_at", "day_count")


class ReminderTable(tables.Table):
    subject = tables.Column(linkify=True)

    class Meta:
        model = Reminder
        fields = ("subject", "area_code", "assignee", "start_on", "due_on", "deadline_state", "deadline_provisional")
