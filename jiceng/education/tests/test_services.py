"""Registry services: classes, registration with the lifelong number, promotion, the cap marks and
the group member limits (E01, E07, E08)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.core.policies.services import get_policy
from jiceng.core.workflow import GuardFailed
from jiceng.education import services
from jiceng.education.models import Enrollment, GroupMembership, SchoolClass, Student
from jiceng.education.testing import fill_class, make_class, make_person, make_school, make_student, make_teacher
from jiceng.education.tests.factories import make_group, make_membership


def test_a_class_needs_a_grade_of_the_school_a_school_year_and_its_own_head_teacher(education_cast, school):
    admin = education_cast.county_admin
    other = make_school(education_cast.area("东村"))
    with pytest.raises(ValidationError) as grade:
        services.do_create_class(data={"school": school, "year": 2026, "grade": 8, "number": 1}, acting_user=admin)
    assert "grade" in grade.value.message_dict
    with pytest.raises(ValidationError) as year:
        services.do_create_class(data={"school": school, "year": 2031, "grade": 1, "number": 1}, acting_user=admin)
    assert "year" in year.value.message_dict
    with pytest.raises(ValidationError) as head:
        services.do_create_class(
            data={"school": school, "year": 2026, "grade": 1, "number": 1, "head_teacher": make_teacher(other)},
            acting_user=admin,
        )
    assert "head_teacher" in head.value.message_dict
    assert not SchoolClass.objects.exists()
    made = services.do_create_class(
        data={"school": school, "year": 2026, "grade": 1, "number": 1, "head_teacher": make_teacher(school)},
        acting_user=admin,
    )
    assert made.area == school.area


def test_a_class_with_students_keeps_its_grade(education_cast, school):
    school_class = make_class(school, grade=2)
    make_student(school_class)
    with pytest.raises(ValidationError):
        services.do_update_class(school_class, data={"grade": 3}, acting_user=education_cast.county_admin)
    school_class.refresh_from_db()
    assert school_class.grade == 2


def test_registering_a_person_gives_the_lifelong_number_and_one_open_enrollment(education_cast, school):
    admin = education_cast.county_admin
    school_class = make_class(school)
    person = make_person(education_cast.area("西村"))
    on = dt.date(2026, 9, 1)
    student = services.do_register_student(person, school_class, on=on, acting_user=admin)
    assert student.student_number == f"G{person.id_number}"
    assert student.area == school.area  # scope follows the registration
    assert student.enrollments.get(ended_on__isnull=True).school_class == school_class
    with pytest.raises(ValidationError):  # registered already: a transfer, not a second registration
        services.do_register_student(person, make_class(school), on=on, acting_user=admin)
    with pytest.raises(ValidationError):  # the number never changes
        services.do_register_student(person, school_class, on=on, acting_user=admin, student_number="X1")
    assert Enrollment.objects.filter(student=student).count() == 1


def test_a_second_student_record_for_one_person_is_refused(education_cast, school):
    person = make_person(education_cast.area("东村"))
    services.do_create_student(data={"person": person}, acting_user=education_cast.county_admin)
    with pytest.raises(ValidationError):
        services.do_create_student(data={"person": person}, acting_user=education_cast.county_admin)
    assert Student.objects.filter(person=person).count() == 1


def test_promotion_moves_the_class_to_the_next_grade_and_year_and_the_last_grade_graduates(education_cast, school):
    admin = education_cast.county_admin
    head = make_teacher(school)
    third = make_class(school, grade=3, year=2025, head_teacher=head)
    students = fill_class(third, 3)
    on = dt.date(2026, 9, 1)
    fourth = services.do_promote_class(third, on=on, acting_user=admin)
    assert (fourth.year, fourth.grade, fourth.number, fourth.head_teacher) == (2026, 4, third.number, head)
    for student in students:
        current = student.enrollments.get(ended_on__isnull=True)
        assert current.school_class == fourth and current.reason == "promotion"
        assert student.enrollments.get(school_class=third).end_reason == "promoted"
    sixth = make_class(school, grade=6, year=2025)
    leaver = make_student(sixth)
    assert services.do_promote_class(sixth, on=on, acting_user=admin) is None
    assert leaver.enrollments.get().end_reason == "graduated"


def test_the_cap_marks_are_set_when_a_class_goes_over_and_cleared_when_it_comes_back(education_cast, school, cap):
    admin = education_cast.county_admin
    school_class = make_class(school)
    fill_class(school_class, cap)
    on = dt.date(2026, 9, 20)
    extra = make_student(area=school.area)
    services.do_enroll(extra, school_class, on=on, acting_user=admin)
    school_class.refresh_from_db()
    assert school_class.oversized_since == on and school_class.cleared_on is None
    later = dt.date(2026, 10, 8)
    services.do_end_enrollment(
        extra.enrollments.get(ended_on__isnull=True), on=later, end_reason="left", acting_user=admin
    )
    school_class.refresh_from_db()
    assert school_class.oversized_since is None and school_class.cleared_on == later


def test_a_group_at_its_maximum_refuses_another_member_and_writes_nothing(education_cast, school):
    county = education_cast.area("莘县")
    admin = education_cast.county_admin
    today = timezone.localdate()
    high = get_policy(services.MEMBERS_MAX, area_path=county.path, on=today)
    low = get_policy(services.MEMBERS_MIN, area_path=county.path, on=today)
    group = make_group(county, lead_school=school)
    make_membership(county, group=group, school=school, role="lead")
    assert [r.policy_key for r in services.group_check(group, today)] == [services.MEMBERS_MIN]
    for _index in range(high.value):
        services.do_add_group_member(
            data={"group": group, "school": make_school(education_cast.area("西村"))}, acting_user=admin
        )
    assert services.member_count(group, today) == high.value
    assert services.group_check(group, today) == []
    before = GroupMembership.objects.count()
    with pytest.raises(GuardFailed) as refused:
        services.do_add_group_member(
            data={"group": group, "school": make_school(education_cast.area("西村"))}, acting_user=admin
        )
    assert [r.policy_key for r in refused.value.reasons] == [services.MEMBERS_MAX]
    assert str(high.value) in refused.value.reasons[0].message
    assert GroupMembership.objects.count() == before
    assert low.value <= high.value


def test_a_group_where_no_limits_are_set_takes_any_number(education_cast):
    """The limits are 莘县's (seed 000); a group of the province has none in force."""
    province = education_cast.area("山东省")
    group = make_group(province, lead_school=make_school(education_cast.area("东村")))
    assert services.member_limits(group, timezone.localdate()) == (None, None)
    county_max = get_policy(services.MEMBERS_MAX, area_path=education_cast.area("莘县").path).value
    for _index in range(county_max + 1):
        services.do_add_group_member(
            data={"group": group, "school": make_school(education_cast.area("西村"))},
            acting_user=education_cast.county_admin,
        )
    assert services.member_count(group, timezone.localdate()) == county_max + 1
    assert services.group_check(group, timezone.localdate()) == []


def test_a_school_cannot_join_a_group_twice(education_cast, school):
    county = education_cast.area("莘县")
    group = make_group(county, lead_school=school)
    member = make_school(education_cast.area("西村"))
    services.do_add_group_member(data={"group": group, "school": member}, acting_user=education_cast.county_admin)
    with pytest.raises(ValidationError):
        services.do_add_group_member(data={"group": group, "school": member}, acting_user=education_cast.county_admin)


def test_school_years_apply_downwards(education_cast, school):
    year = services.school_year_for(school.area, 2026)
    assert year is not None and year.area == education_cast.area("莘县")
    assert services.current_school_year(school.area, dt.date(2026, 10, 1)).year == 2026
    assert services.current_school_year(school.area, dt.date(2026, 8, 1)).year == 2025
    assert services.school_year_for(school.area, 2030) is None
