"""Factories of the education registry for the suite-wide scope matrix (``factory(area)`` → a row in it)."""

import datetime as dt

from jiceng.education.models import (
    Campus,
    EducationGroup,
    Enrollment,
    GroupMembership,
    School,
    SchoolClass,
    SchoolYear,
    Student,
    Teacher,
)
from jiceng.education.testing import make_class, make_school, make_school_year, make_student, make_teacher


def make_campus(area, *, school=None, **kwargs):
    school = school or make_school(area)
    kwargs.setdefault("name", "本部")
    return Campus.objects.create(school=school, area=area, **kwargs)


def make_group(area, *, lead_school=None, **kwargs):
    lead_school = lead_school or make_school(area)
    kwargs.setdefault("name", f"{lead_school.name}教育集团")
    kwargs.setdefault("formed_on", dt.date(2022, 7, 15))
    return EducationGroup.objects.create(area=area, lead_school=lead_school, stage=lead_school.stage, **kwargs)


def make_membership(area, *, group=None, school=None, **kwargs):
    group = group or make_group(area)
    return GroupMembership.objects.create(
        group=group, school=school or make_school(area), joined_on=kwargs.pop("joined_on", group.formed_on), **kwargs
    )


def make_school_class(area, **kwargs):
    return make_class(kwargs.pop("school", None) or make_school(area), **kwargs)


def make_enrolled_student(area, **kwargs):
    return make_student(make_school_class(area), **kwargs)


def make_enrollment(area, **kwargs):
    return make_enrolled_student(area).enrollments.get()


def make_school_teacher(area, **kwargs):
    return make_teacher(kwargs.pop("school", None) or make_school(area), **kwargs)


TEST_FACTORIES = {
    SchoolYear: lambda area, **kw: make_school_year(area, **kw),
    School: lambda area, **kw: make_school(area, **kw),
    Campus: make_campus,
    EducationGroup: make_group,
    GroupMembership: make_membership,
    Teacher: make_school_teacher,
    SchoolClass: make_school_class,
    Student: make_enrolled_student,
    Enrollment: make_enrollment,
}
