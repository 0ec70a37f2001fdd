"""One FilterSet per model of consultation and outreach: list pages, API and exports."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.education.outreach.choices import (
    ActivityKind,
    AidKind,
    CallbackOutcome,
    Channel,
    MediaLevel,
    MeetingFormat,
    QuestionCategory,
    ResultKind,
    VenueKind,
)
from jiceng.education.outreach.models import (
    ClassMeeting,
    CoeducationActivity,
    Consultation,
    OutsidePublication,
    PatrolVisit,
    PolicyNotice,
    Reflection,
    StudentAid,
    StudentResult,
    StudyGroup,
    StudyLog,
)

AREA = _("Area (code, subtree)")


class PolicyNoticeFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=AREA)

    class Meta:
        model = PolicyNotice
        fields = ["q", "area", "year"]


class ConsultationFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    area = AreaSubtreeFilter(label=AREA)
    # ids, not choice lists: a <select> of every school would list rows outside the user's areas
    school = filters.NumberFilter(field_name="school", label=_("school (id)"))
    channel = filters.ChoiceFilter(choices=Channel.choices, label=_("channel"))
    category = filters.ChoiceFilter(choices=QuestionCategory.choices, label=_("question category"))
    received_after = filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte", label=_("received from"))
    received_before = filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lt", label=_("received before"))
    called_back = filters.BooleanFilter(
        field_name="callback_done_at", lookup_expr="isnull", exclude=True, label=_("called back")
    )
    overdue = filters.BooleanFilter(method="overdue_now", label=_("callback overdue"))
    outcome = filters.ChoiceFilter(
        field_name="callback_outcome", choices=CallbackOutcome.choices, label=_("callback outcome")
    )

    class Meta:
        model = Consultation
        fields = [
            "q",
            "area",
            "school",
            "channel",
            "category",
            "received_after",
            "received_before",
            "called_back",
            "overdue",
            "outcome",
        ]

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(caller_name__icontains=value) | Q(question__icontains=value) | Q(caller_phone=value))

    def overdue_now(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        late = Q(callback_done_at__isnull=True, due_at__lte=timezone.now())
        return qs.filter(late) if value else qs.exclude(late)


class StudyGroupFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=AREA)
    school = filters.NumberFilter(field_name="school", label=_("school (id)"))
    village = filters.CharFilter(field_name="village__code", label=_("village (code)"))
    venue_kind = filters.ChoiceFilter(choices=VenueKind.choices, label=_("venue kind"))

    class Meta:
        model = StudyGroup
        fields = ["q", "area", "school", "village", "venue_kind"]


class StudyLogFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=AREA)
    group = filters.NumberFilter(field_name="group", label=_("study group (id)"))
    on_after = filters.DateFilter(field_name="on", lookup_expr="gte", label=_("from"))
    on_before = filters.DateFilter(field_name="on", lookup_expr="lte", label=_("until"))

    class Meta:
        model = StudyLog
        fields = ["area", "group", "on_after", "on_before"]


class PatrolVisitFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=AREA)
    group = filters.NumberFilter(field_name="group", label=_("study group (id)"))
    teacher = filters.NumberFilter(field_name="teacher", label=_("teacher (id)"))

    class Meta:
        model = PatrolVisit
        fields = ["area", "group", "teacher"]


class ClassMeetingFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="theme", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=AREA)
    school_class = filters.NumberFilter(field_name="school_class", label=_("class (id)"))
    school = filters.NumberFilter(field_name="school_class__school", label=_("school (id)"))
    format = filters.ChoiceFilter(choices=MeetingFormat.choices, label=_("format"))

    class Meta:
        model = ClassMeeting
        fields = ["q", "area", "school", "school_class", "format"]


class ReflectionFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=AREA)
    meeting = filters.NumberFilter(field_name="meeting", label=_("class meeting (id)"))
    is_selected = filters.BooleanFilter(label=_("selected for the school magazine"))
    published_outside = filters.BooleanFilter(
        field_name="publications", lookup_expr="isnull", exclude=True, distinct=True, label=_("published outside")
    )

    class Meta:
        model = Reflection
        fields = ["q", "area", "meeting", "is_selected", "published_outside"]


class OutsidePublicationFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=AREA)
    level = filters.ChoiceFilter(choices=MediaLevel.choices, label=_("media level"))

    class Meta:
        model = OutsidePublication
        fields = ["area", "level"]


class StudentAidFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=AREA)
    student = filters.NumberFilter(field_name="student", label=_("student (id)"))
    kind = filters.ChoiceFilter(choices=AidKind.choices, label=_("aid kind"))
    granted_after = filters.DateFilter(field_name="granted_on", lookup_expr="gte", label=_("granted from"))
    granted_before = filters.DateFilter(field_name="granted_on", lookup_expr="lte", label=_("granted until"))

    class Meta:
        model = StudentAid
        fields = ["area", "student", "kind", "granted_after", "granted_before"]


class StudentResultFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=AREA)
    student = filters.NumberFilter(field_name="student", label=_("student (id)"))
    kind = filters.ChoiceFilter(choices=ResultKind.choices, label=_("result kind"))

    class Meta:
        model = StudentResult
        fields = ["area", "student", "kind"]


class CoeducationActivityFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=AREA)
    school = filters.NumberFilter(field_name="school", label=_("school (id)"))
    kind = filters.ChoiceFilter(choices=ActivityKind.choices, label=_("activity kind"))
    held_after = filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("from"))
    held_before = filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("until"))

    class Meta:
        model = CoeducationActivity
        fields = ["q", "area", "school", "kind", "held_after", "held_before"]
