import pytest


@pytest.fixture
def school(education_cast):
    """A primary school in 东村 (燕店镇, 莘县) with school years 2025 and 2026 for the county."""
    from jiceng.education.testing import make_school, make_school_year

    county = education_cast.area("莘县")
    make_school_year(county, 2025)
    make_school_year(county, 2026)
    return make_school(education_cast.area("东村"), name="东村小学", stage="primary", location="rural")


@pytest.fixture
def cap(school):
    """The class-size cap in force for the school today (a policy, never a literal)."""
    from django.utils import timezone

    from jiceng.education import sizes

    return sizes.cap_policy(school, timezone.localdate()).value
