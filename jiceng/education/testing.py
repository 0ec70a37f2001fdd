"""Test helpers for the education apps: the cast with education roles, and factories.

``education_cast`` (fixture in ``jiceng/education/conftest.py``) is the core cast with education
roles: township_staff education_editor (燕店镇: a school's administrator), township_viewer
education_viewer (燕店镇), village_staff education_editor (东村), outsider education_editor (古云镇),
each with the alerts, checklists and public-pages roles; county_admin is admin of 莘县 and acts as
the bureau (its grant covers the county). Policies come from the seeds.

The factories write directly (test set-up, not a user's action) and keep the invariants the services
keep: a student's area is their school's, one open enrollment per student.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.apps import apps

EDITOR = ["education_editor", "alerts_editor", "checklists_editor", "publicpages_editor"]
VIEWER = ["education_viewer", "alerts_viewer", "checklists_viewer", "publicpages_viewer"]
EDUCATION_ROLES = {
    "township_staff": EDITOR,
    "township_viewer": VIEWER,
    "village_staff": EDITOR,
    "outsider": EDITOR,
}

_serial = itertools.count(1)


def model(name: str) -> Any:
    return apps.get_model("education", name)


def make_school_year(area: Any, year: int = 2026, starts_on: dt.date | None = None) -> Any:
    starts_on = starts_on or dt.date(year, 9, 1)
    return model("SchoolYear").objects.get_or_create(
        area=area, year=year, defaults={"starts_on": starts_on, "ends_on": dt.date(year + 1, 7, 15)}
    )[0]


def make_school(
    area: Any, *, name: str | None = None, stage: str = "primary", location: str = "rural", **kw: Any
) -> Any:
    n = next(_serial)
    return model("School").objects.create(area=area, name=name or f"测试学校{n}", stage=stage, location=location, **kw)


def make_person(area: Any, *, name: str | None = None, birth: str = "20150301") -> Any:
    from jiceng.core.testing import make_id_number

    n = next(_serial)
    person_model = apps.get_model("directory", "Person")
    id_number = make_id_number(birth, n % 1000, region=area.code[:6])
    while person_model.objects.filter(id_number=id_number).exists():
        n = next(_serial)
        id_number = make_id_number(birth, n % 1000, region=area.code[:6])
    person = person_model(name=name or f"测试人员{n}", id_number=id_number, area=area)
    person.clean()
    person.save()
    return person


def make_teacher(school: Any, *, subject: str = "chinese", person: Any = None, **kw: Any) -> Any:
    person = person or make_person(school.area, birth="19880512")
    return model("Teacher").objects.create(person=person, school=school, subject=subject, **kw)


def make_class(school: Any, *, grade: int = 1, number: int | None = None, year: int = 2026, **kw: Any) -> Any:
    if number is None:
        number = model("SchoolClass").objects.filter(school=school, year=year, grade=grade).count() + 1
    return model("SchoolClass").objects.create(school=school, year=year, grade=grade, number=number, **kw)


def make_student(
    school_class: Any | None = None, *, area: Any = None, started_on: dt.date | None = None, **kw: Any
) -> Any:
    """A student, enrolled in ``school_class`` when given (living in ``area``, default the school's)."""
    home = area or (school_class.school.area if school_class else None)
    person = make_person(home, birth=kw.pop("birth", "20150301"))
    student = model("Student").objects.create(
        person=person,
        student_number=f"G{person.id_number}",
        area=school_class.school.area if school_class else home,
        **kw,
    )
    if school_class is not None:
        enroll(student, school_class, started_on=started_on)
    return student


def enroll(student: Any, school_class: Any, *, started_on: dt.date | None = None, reason: str = "admission") -> Any:
    return model("Enrollment").objects.create(
        student=student,
        school=school_class.school,
        school_class=school_class,
        started_on=started_on or dt.date(school_class.year, 9, 1),
        reason=reason,
    )


def fill_class(school_class: Any, size: int, **kw: Any) -> list[Any]:
    """Enroll ``size`` new students in ``school_class``."""
    return [make_student(school_class, **kw) for _ in range(size)]
