"""Pages: the oversized-class dashboard, the school, class and group pages, the registration checks."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from jiceng.education import services, sizes
from jiceng.education.testing import fill_class, make_class, make_school, make_student
from jiceng.education.tests.factories import make_group, make_membership


def _year():
    today = timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def test_the_class_size_dashboard_shows_each_grade_against_the_cap(education_cast, school, cap, client):
    at_cap = make_class(school, grade=3, year=_year())
    fill_class(at_cap, cap)
    over = make_class(school, grade=4, year=_year())
    fill_class(over, cap + 1)
    client.force_login(education_cast.township_viewer)
    html = client.get(reverse("education:class_sizes")).content.decode()
    assert "东村小学" in html and "三年级" in html and "四年级" in html
    assert f'<strong class="error">{cap + 1}</strong>' in html
    only = client.get(reverse("education:class_sizes"), {"only": "over"}).content.decode()
    assert "四年级" in only and "三年级" not in only
    rural = client.get(reverse("education:class_sizes"), {"location": "urban"}).content.decode()
    assert "东村小学" not in rural
    bands = sizes.band_limits(school.area.path, timezone.localdate())
    assert f"({bands['large']}–{bands['super_large'] - 1})" in html  # the bands come from the policies


def test_the_school_page_lists_its_classes_with_size_and_cap(education_cast, school, cap, client):
    school_class = make_class(school, grade=2, year=_year())
    fill_class(school_class, 3)
    client.force_login(education_cast.township_viewer)
    html = client.get(school.get_absolute_url()).content.decode()
    assert school_class.get_absolute_url() in html and f'<td class="num">{cap}</td>' in html


def test_the_class_page_lists_its_students_and_flags_attendance(education_cast, school, client):
    school_class = make_class(school)
    students = fill_class(school_class, 2)
    other = make_school(education_cast.area("西村"), name="西村小学")
    services.do_record_attendance(
        students[0], attending_school=other, on=dt.date(2026, 9, 15), acting_user=education_cast.county_admin
    )
    client.force_login(education_cast.township_viewer)
    html = client.get(school_class.get_absolute_url()).content.decode()
    assert all(s.student_number in html for s in students)
    assert "西村小学" in html
    client.force_login(education_cast.outsider)
    assert client.get(school_class.get_absolute_url()).status_code == 404


def test_the_group_page_lists_members_and_flags_a_group_below_the_minimum(education_cast, school, client):
    county = education_cast.area("莘县")
    group = make_group(county, lead_school=school)
    make_membership(county, group=group, school=school, role="lead", joined_on=dt.date(2022, 7, 15))
    member = make_school(education_cast.area("西村"), name="西村小学")
    make_membership(county, group=group, school=member, joined_on=dt.date(2022, 7, 15))
    client.force_login(education_cast.township_viewer)
    html = client.get(group.get_absolute_url()).content.decode()
    assert "东村小学" in html and "西村小学" in html
    assert 'class="warning"' in html and services.MEMBERS_MIN not in html  # the reason, not the key


def test_the_registration_checks_page(education_cast, school, client):
    absent = make_student(make_class(school))
    services.do_record_attendance(
        absent, attending_school=None, on=dt.date(2026, 9, 15), acting_user=education_cast.county_admin
    )
    client.force_login(education_cast.township_viewer)
    html = client.get(reverse("education:registry_checks")).content.decode()
    assert absent.student_number in html and "东村小学" in html
    client.force_login(education_cast.outsider)
    assert absent.student_number not in client.get(reverse("education:registry_checks")).content.decode()


def test_the_dashboard_widget_shows_the_figures(education_cast, school, cap, client):
    fill_class(make_class(school, year=_year()), cap)
    client.force_login(education_cast.township_viewer)
    html = client.get("/").content.decode()
    assert reverse("education:class_sizes") in html
