"""Test factories of the staff app (``factory(area)`` → a row in that area; leaf data written directly)."""

import datetime as dt

from jiceng.education.staff.models import (
    MentorPair,
    RecruitmentPost,
    RecruitmentRound,
    RotationAssignment,
    RotationPlan,
)
from jiceng.education.testing import make_school, make_teacher

_years = iter(range(2000, 3000))


def make_plan(area, **kwargs):
    year = kwargs.pop("year", next(_years))
    return RotationPlan.objects.create(
        area=area,
        year=year,
        name=kwargs.pop("name", f"{area.name}{year}交流计划"),
        starts_on=dt.date(year, 9, 1),
        ends_on=dt.date(year + 1, 7, 15),
        **kwargs,
    )


def make_assignment(area, *, plan=None, **kwargs):
    plan = plan or make_plan(area)
    home = make_school(area, location="urban")
    host = make_school(area, location="rural")
    teacher = kwargs.pop("teacher", None) or make_teacher(home)
    return RotationAssignment.objects.create(
        plan=plan,
        teacher=teacher,
        from_school=teacher.school,
        to_school=kwargs.pop("to_school", host),
        subject=teacher.subject,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        direction="urban_to_rural",
        **kwargs,
    )


def make_round(area, **kwargs):
    year = kwargs.pop("year", 2020)
    return RecruitmentRound.objects.create(
        area=area, year=year, name=kwargs.pop("name", f"{area.name}{year}年教师招考{next(_years)}"),
        announced_on=dt.date(year, 5, 1), **kwargs,
    )  # fmt: skip


def make_post(area, **kwargs):
    return RecruitmentPost.objects.create(
        recruitment_round=kwargs.pop("recruitment_round", None) or make_round(area),
        school=kwargs.pop("school", None) or make_school(area),
        subject=kwargs.pop("subject", "chinese"),
        employment=kwargs.pop("employment", "established"),
        posts=kwargs.pop("posts", 4),
        hired=kwargs.pop("hired", 2),
        **kwargs,
    )


def make_mentor_pair(area, **kwargs):
    school = make_school(area)
    mentor = make_teacher(school, hired_on=dt.date(2005, 9, 1))
    mentee = make_teacher(school, hired_on=dt.date(2025, 9, 1))
    return MentorPair.objects.create(
        mentor=mentor,
        mentee=mentee,
        school=school,
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2027, 7, 15),
        **kwargs,
    )


TEST_FACTORIES = {
    RotationPlan: make_plan,
    RotationAssignment: make_assignment,
    RecruitmentRound: make_round,
    RecruitmentPost: make_post,
    MentorPair: make_mentor_pair,
}
