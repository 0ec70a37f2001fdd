"""Test factories of consultation and outreach (leaf data written directly: test set-up, no policies
needed). ``factory(area)`` → a row in that area, for the suite-wide scope matrix."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

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
from jiceng.education.testing import make_class, make_school, make_student, make_teacher


def village_in(area):
    """A village-level area in ``area``'s subtree (``area`` itself when it is one)."""
    if area.level == "village":
        return area
    from django.apps import apps

    found = apps.get_model("directory", "Area").objects.filter(path__startswith=area.path, level="village").first()
    return found or area


def make_notice(area, **kw):
    kw.setdefault("year", 2026)
    kw.setdefault("title", "义务教育阶段学校招生入学工作意见")
    kw.setdefault("body", "适龄儿童按划片范围就近入学。")
    return PolicyNotice.objects.create(area=area, **kw)


def make_consultation(area, *, received_at=None, **kw):
    kw.setdefault("caller_name", "王女士")
    kw.setdefault("caller_phone", "13812345678")
    kw.setdefault("category", "catchment")
    kw.setdefault("question", "我家在东村，孩子该去哪所小学？")
    kw.setdefault("handled_by", "张老师")
    return Consultation.objects.create(area=area, received_at=received_at or timezone.now(), **kw)


def make_group(area, *, school=None, students=2, **kw):
    school = school or make_school(area)
    school_class = make_class(school)
    village = kw.pop("village", None) or village_in(area)
    members = [make_student(school_class, area=village) for _ in range(students)]
    kw.setdefault("name", f"{village.name}学习小组{StudyGroup.objects.count() + 1}")
    kw.setdefault("venue_kind", "student_home")
    kw.setdefault("venue", f"{village.name}村民家中")
    kw.setdefault("formed_on", dt.date(2026, 7, 1))
    group = StudyGroup.objects.create(school=school, village=village, leader=members[0] if members else None, **kw)
    group.members.set(members)
    return group


def make_log(area, **kw):
    group = kw.pop("group", None) or make_group(area)
    return StudyLog.objects.create(
        group=group, kept_by=group.leader, on=kw.pop("on", dt.date(2026, 7, 10)), summary="完成数学作业两页", **kw
    )


def make_visit(area, **kw):
    group = kw.pop("group", None) or make_group(area)
    return PatrolVisit.objects.create(
        group=group, teacher=make_teacher(group.school), visited_on=dt.date(2026, 7, 12), notes="检查作业", **kw
    )


def make_meeting(area, **kw):
    school_class = kw.pop("school_class", None) or make_class(make_school(area, stage="junior"), grade=8)
    kw.setdefault("theme", "我和我的祖国")
    kw.setdefault("format", "essay")
    return ClassMeeting.objects.create(school_class=school_class, held_on=kw.pop("held_on", dt.date(2026, 10, 9)), **kw)


def make_reflection(area, **kw):
    meeting = kw.pop("meeting", None) or make_meeting(area)
    author = kw.pop("author", None) or make_student(meeting.school_class)
    kw.setdefault("title", "祖国在我心中")
    kw.setdefault("text", "这次班会让我明白……")
    return Reflection.objects.create(meeting=meeting, author=author, written_on=meeting.held_on, **kw)


def make_publication(area, **kw):
    reflection = kw.pop("reflection", None) or make_reflection(area)
    return OutsidePublication.objects.create(
        reflection=reflection, outlet="聊城日报", level="city", published_on=reflection.written_on, **kw
    )


def poor_student(area):
    return make_student(make_class(make_school(area)), is_registered_poor=True)


def make_aid(area, **kw):
    student = kw.pop("student", None) or poor_student(area)
    kw.setdefault("kind", "grant")
    kw.setdefault("amount_yuan", Decimal("1250.00"))
    kw.setdefault("source", "国家助学金")
    return StudentAid.objects.create(student=student, granted_on=kw.pop("granted_on", dt.date(2026, 9, 15)), **kw)


def make_result(area, **kw):
    student = kw.pop("student", None) or poor_student(area)
    return StudentResult.objects.create(
        student=student, kind="exam", on=dt.date(2026, 6, 26), exam="中考", score=Decimal("702"), **kw
    )


def make_activity(area, **kw):
    school = kw.pop("school", None) or make_school(area)
    kw.setdefault("kind", "home_visit")
    kw.setdefault("title", "暑期家访")
    kw.setdefault("students", 12)
    kw.setdefault("parents", 12)
    return CoeducationActivity.objects.create(school=school, held_on=kw.pop("held_on", dt.date(2026, 7, 20)), **kw)


TEST_FACTORIES = {
    PolicyNotice: make_notice,
    Consultation: make_consultation,
    StudyGroup: make_group,
    StudyLog: make_log,
    PatrolVisit: make_visit,
    ClassMeeting: make_meeting,
    Reflection: make_reflection,
    OutsidePublication: make_publication,
    StudentAid: make_aid,
    StudentResult: make_result,
    CoeducationActivity: make_activity,
}
