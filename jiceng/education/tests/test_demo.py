"""The base education demo: both counties' schools, teachers, classes and students at a small scale,
no class over the cap, some at it, the named schools and groups, the anomalies; a second run adds nothing."""

import random
from pathlib import Path

import pytest
from django.db.models import Count, F

from jiceng.core.policies.services import SEED_FILE, do_load_policies, get_policy, read_seed_file
from jiceng.demo import DEMO_APPS, DemoContext
from jiceng.directory.identifiers import check_id_number
from jiceng.education import demo, sizes
from jiceng.education.models import (
    AttendanceStatus,
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

SCALE = 0.02
SEED = Path(demo.__file__).resolve().parent / "seed" / "policies.json"


@pytest.fixture
def built(db):
    ctx = DemoContext(scale=SCALE, rng=random.Random(7))
    for label in ["directory", "accounts"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    # the bundled seeds and this app's own (the core.policies part loads every app's seeds)
    do_load_policies(read_seed_file(SEED_FILE) + read_seed_file(SEED), acting_user=None)
    demo.build(ctx)
    assert DEMO_APPS.index("education") > DEMO_APPS.index("core.policies")
    return ctx


def counts():
    return tuple(
        m.objects.count()
        for m in (
            School,
            Campus,
            Teacher,
            SchoolClass,
            Student,
            Enrollment,
            EducationGroup,
            GroupMembership,
            SchoolYear,
        )
    )


def test_both_counties_have_schools_of_every_kind(built):
    for code in (demo.DISTRICT_CODE, demo.COUNTY_CODE):
        schools = School.objects.filter(area__path__startswith=built.area(code).path)
        kinds = set(schools.values_list("stage", "location"))
        assert {("primary", "rural"), ("junior", "rural"), ("nine_year", "urban")} <= kinds
        assert Teacher.objects.filter(school__in=schools).count() >= schools.count()
        assert Student.objects.filter(area__path__startswith=built.area(code).path).exists()
    assert SchoolYear.objects.filter(year=demo.SCHOOL_YEAR, starts_on=demo.YEAR_STARTS).count() == 2


def test_no_class_is_over_the_cap_and_some_stand_at_it(built):
    at_cap = 0
    for cls in sizes.with_sizes(SchoolClass.objects.select_related("school__area")):
        cap = sizes.cap_policy(cls.school, demo.YEAR_STARTS).value
        assert cls.size <= cap
        at_cap += cls.size == cap
        assert cls.oversized_since is None
    assert at_cap >= 2
    assert SchoolClass.objects.filter(cleared_on=demo.ELIMINATED_ON).exists()
    district_cap = get_policy(sizes.CAP, area_path=built.area(demo.DISTRICT_CODE).path, on=demo.YEAR_STARTS)
    assert district_cap.area_path == built.area(demo.DISTRICT_CODE).path


def test_every_student_has_one_open_enrollment_and_a_lifelong_number(built):
    students = Student.objects.select_related("person")
    assert students.count() == Enrollment.objects.filter(ended_on__isnull=True).count()
    for student in students:
        assert student.student_number == f"G{student.person.id_number}"
        check_id_number(student.person.id_number)
    for enrollment in Enrollment.objects.select_related("student", "school_class"):
        assert enrollment.student.area_id == enrollment.area_id == enrollment.school_class.area_id
        assert enrollment.school_class.school_id == enrollment.school_id


def test_named_schools_and_groups(built):
    wenxuan = School.objects.get(name="聊城文轩中学")
    assert set(wenxuan.campuses.values_list("name", flat=True)) == {"本部", "西校区"}
    group = EducationGroup.objects.get(name="聊城文轩中学教育集团")
    assert group.lead_school == wenxuan
    assert set(group.memberships.values_list("school__name", flat=True)) == {"聊城文轩中学", "聊城八中", "湖西中学"}
    assert School.objects.get(name="郑家镇中学").area.code.startswith("371502105")
    shiyan = School.objects.get(name="莘县实验小学")
    assert set(shiyan.campuses.values_list("name", flat=True)) == {"莘州校区", "东鲁校区"}
    county = built.area(demo.COUNTY_CODE)
    low = get_policy("education.group_member_schools_min", area_path=county.path, on=demo.YEAR_STARTS).value
    high = get_policy("education.group_member_schools_max", area_path=county.path, on=demo.YEAR_STARTS).value
    county_groups = EducationGroup.objects.filter(area=county)
    assert county_groups.count() >= 2
    for one in county_groups:
        members = one.memberships.filter(role="member").count()
        assert low <= members <= high
        assert one.kind == "one_plus_x" and one.head_principal_id


def test_registration_anomalies(built):
    elsewhere = Student.objects.filter(enrollments__ended_on__isnull=True, attending_school__isnull=False).exclude(
        attending_school=F("enrollments__school")
    )
    assert 3 <= elsewhere.count() <= 5
    assert 2 <= Student.objects.filter(attendance_status=AttendanceStatus.ABSENT).count() <= 3
    twins = Student.objects.values("person__name", "person__birth_date").annotate(n=Count("id")).filter(n__gt=1)
    assert len(twins) >= 1


def test_the_demo_is_idempotent(built):
    before = counts()
    demo.build(built)
    assert counts() == before
