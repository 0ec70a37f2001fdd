from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.core.deadlines.models import DeadlineState, HolidaySchedule, Reminder


class HolidayScheduleFilterSet(django_filters.FilterSet):
    class Meta:
        model = HolidaySchedule
        fields = ["year", "is_loaded"]


class ReminderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    deadline_state = django_filters.ChoiceFilter(choices=DeadlineState.choices, label=_("deadline state"))

    class Meta:
        model = Reminder
        fields = ["q", "deadline_state", "deadline_provisional", "area_code"]

    def filter_q(self, qs: QuerySet[Reminder], name: str, value: str) -> QuerySet[Reminder]:
        return qs.filter(Q(subject__icontains=value) | Q(notes__icontains=value))
