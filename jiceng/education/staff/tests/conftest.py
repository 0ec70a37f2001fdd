import datetime as dt

import pytest

SUBJECTS = [("chinese", 4), ("maths", 4), ("english", 2), ("pe", 1), ("music", 1)]


@pytest.fixture
def county(education_cast):
    """莘县 with four urban schools in 燕店镇 and four rural ones (东村, 南村), each with 12 full-time
    teachers (one PE and one music teacher each), a part-time teacher and one who has left; the
    2026 school year starts on 1 September."""
    from types import SimpleNamespace

    from jiceng.education.testing import make_school, make_school_year, make_teacher

    cast = education_cast
    make_school_year(cast.area("莘县"), 2026)
    make_school_year(cast.area("莘县"), 2025)
    places = [("燕店镇", "urban")] * 4 + [("东村", "rural")] * 2 + [("南村", "rural")] * 2
    schools = []
    teachers = []
    for n, (place, location) in enumerate(places, start=1):
        school = make_school(
            cast.area(place), name=f"{'城区' if location == 'urban' else '乡镇'}学校{n}", location=location
        )
        schools.append(school)
        for subject, count in SUBJECTS:
            for _ in range(count):
                teachers.append(make_teacher(school, subject=subject, hired_on=dt.date(2015, 9, 1)))
        make_teacher(school, subject="chinese", is_full_time=False)
        make_teacher(school, subject="maths", left_on=dt.date(2026, 7, 1))
    return SimpleNamespace(
        cast=cast,
        area=cast.area("莘县"),
        schools=schools,
        urban=schools[:4],
        rural=schools[4:],
        teachers=teachers,
        admin=cast.county_admin,
    )


@pytest.fixture
def plan(county):
    from jiceng.education.staff import services

    return services.do_create_plan(data={"area": county.area, "year": 2026}, acting_user=county.admin)
