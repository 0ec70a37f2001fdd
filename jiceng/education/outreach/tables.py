"""Tables of consultation and outreach (list pages and XLSX exports)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

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


class PolicyNoticeTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = PolicyNotice
        fields = ("year", "title", "area", "published_on", "channels")


class ConsultationTable(tables.Table):
    received_at = tables.DateTimeColumn(linkify=True, format="Y-m-d H:i")
    caller_phone = tables.Column(accessor="masked_phone", verbose_name=_("caller's phone"), orderable=False)
    callback_done_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = Consultation
        fields = (
            "received_at",
            "channel",
            "caller_name",
            "caller_phone",
            "category",
            "school",
            "handled_by",
            "callback_due_on",
            "callback_done_at",
            "callback_outcome",
        )


class StudyGroupTable(tables.Table):
    name = tables.Column(linkify=True)
    members = tables.Column(accessor="members__count", verbose_name=_("members"), orderable=False)

    class Meta:
        model = StudyGroup
        fields = ("name", "school", "village", "venue_kind", "venue", "leader", "members", "formed_on")


class StudyLogTable(tables.Table):
    on = tables.DateColumn(linkify=True)

    class Meta:
        model = StudyLog
        fields = ("on", "group", "kept_by", "present", "summary")


class PatrolVisitTable(tables.Table):
    visited_on = tables.DateColumn(linkify=True)

    class Meta:
        model = PatrolVisit
        fields = ("visited_on", "group", "teacher", "notes")


class ClassMeetingTable(tables.Table):
    theme = tables.Column(linkify=True)

    class Meta:
        model = ClassMeeting
        fields = ("held_on", "theme", "format", "school_class")


class ReflectionTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = Reflection
        fields = ("title", "author", "meeting", "written_on", "is_selected", "magazine_issue")


class OutsidePublicationTable(tables.Table):
    outlet = tables.Column(linkify=True)

    class Meta:
        model = OutsidePublication
        fields = ("outlet", "level", "published_on", "reflection")


class StudentAidTable(tables.Table):
    granted_on = tables.DateColumn(linkify=True)

    class Meta:
        model = StudentAid
        fields = ("granted_on", "student", "kind", "amount_yuan", "source")


class StudentResultTable(tables.Table):
    on = tables.DateColumn(linkify=True)

    class Meta:
        model = StudentResult
        fields = ("on", "student", "kind", "exam", "score", "admitted_to")


class CoeducationActivityTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = CoeducationActivity
        fields = ("held_on", "title", "kind", "school", "students", "parents", "community_members", "partners")
