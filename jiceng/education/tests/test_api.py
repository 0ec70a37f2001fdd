"""API of the registry: classes with size, cap and oversized; students with their current school and
class; schools with counts; the registration checks; group members refused over the maximum."""

import datetime as dt

from django.utils import timezone

from jiceng.core.policies.services import get_policy
from jiceng.education import services
from jiceng.education.testing import fill_class, make_class, make_school, make_student
from jiceng.education.tests.factories import make_group

CLASSES = "/api/v1/education/classes/"
STUDENTS = "/api/v1/education/students/"


def test_classes_carry_size_cap_and_oversized_without_a_query_per_class(
    education_cast, school, cap, api, django_assert_max_num_queries
):
    full = make_class(school)
    fill_class(full, cap)
    small = make_class(school)
    fill_class(small, 2)
    over = make_class(school)
    fill_class(over, cap + 1)
    for _index in range(5):
        make_class(make_school(education_cast.area("西村")))
    client = api(education_cast.township_viewer)
    with django_assert_max_num_queries(8):
        rows = {r["id"]: r for r in client.get(CLASSES).json()["results"]}
    assert len(rows) == 8
    assert (rows[full.pk]["size"], rows[full.pk]["cap"], rows[full.pk]["oversized"]) == (cap, cap, False)
    assert (rows[small.pk]["size"], rows[small.pk]["oversized"]) == (2, False)
    assert (rows[over.pk]["size"], rows[over.pk]["oversized"]) == (cap + 1, True)
    detail = client.get(f"{CLASSES}{over.pk}/").json()
    assert detail["oversized"] is True and detail["cap"] == cap


def test_students_carry_the_school_and_class_of_their_open_enrollment(
    education_cast, school, api, django_assert_max_num_queries
):
    school_class = make_class(school)
    students = [make_student(school_class) for _ in range(6)]
    unregistered = make_student(area=education_cast.area("东村"))
    client = api(education_cast.township_viewer)
    with django_assert_max_num_queries(8):
        rows = {r["id"]: r for r in client.get(STUDENTS).json()["results"]}
    for student in students:
        assert (rows[student.pk]["school"], rows[student.pk]["class_id"]) == (school.pk, school_class.pk)
    assert (rows[unregistered.pk]["school"], rows[unregistered.pk]["class_id"]) == (None, None)


def test_creating_a_student_through_the_api_gives_the_lifelong_number(education_cast, api):
    from jiceng.education.testing import make_person

    person = make_person(education_cast.area("东村"))
    response = api(education_cast.township_staff).post(STUDENTS, {"person": person.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["student_number"] == f"G{person.id_number}"


def test_schools_list_their_classes_and_students(education_cast, school, api):
    year = timezone.localdate().year if timezone.localdate().month >= 9 else timezone.localdate().year - 1
    fill_class(make_class(school, year=year), 3)
    make_class(school, year=year - 1)
    rows = {r["id"]: r for r in api(education_cast.township_viewer).get("/api/v1/education/schools/").json()["results"]}
    assert (rows[school.pk]["class_count"], rows[school.pk]["student_count"]) == (1, 3)


def test_adding_a_member_over_the_maximum_is_a_409_with_the_policy(education_cast, school, api):
    county = education_cast.area("莘县")
    high = get_policy(services.MEMBERS_MAX, area_path=county.path, on=timezone.localdate())
    group = make_group(county, lead_school=school)
    client = api(education_cast.county_admin)
    for _index in range(high.value):
        member = make_school(education_cast.area("西村"))
        assert (
            client.post(
                "/api/v1/education/group-members/", {"group": group.pk, "school": member.pk}, format="json"
            ).status_code
            == 201
        )
    extra = make_school(education_cast.area("西村"))
    response = client.post("/api/v1/education/group-members/", {"group": group.pk, "school": extra.pk}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "guard_failed" and body["reasons"][0]["policy"] == services.MEMBERS_MAX
    assert not group.memberships.filter(school=extra).exists()


def test_registry_checks_api_counts_the_work_items(education_cast, school, api):
    absent = make_student(make_class(school))
    services.do_record_attendance(
        absent, attending_school=None, on=dt.date(2026, 9, 15), acting_user=education_cast.county_admin
    )
    body = api(education_cast.township_viewer).get("/api/v1/education/registry-checks/").json()
    assert body["counts"]["absent"] == 1 and body["findings"][0]["student"] == absent.pk
    assert body["schools"][0]["school"] == school.pk
    outsider = api(education_cast.outsider).get("/api/v1/education/registry-checks/").json()
    assert outsider["counts"]["absent"] == 0


def test_outside_the_subtree_a_class_is_a_404(education_cast, school, api):
    school_class = make_class(school)
    assert api(education_cast.outsider).get(f"{CLASSES}{school_class.pk}/").status_code == 404
    assert api(education_cast.outsider).get(f"{STUDENTS}{make_student(school_class).pk}/").status_code == 404
