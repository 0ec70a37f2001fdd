import pytest

from jiceng.education.allocation.tests.factories import make_plan, make_zone
from jiceng.education.testing import make_school


@pytest.fixture
def county(education_cast):
    """莘县 with two primary schools in 燕店镇 (zone: 东村 → A, 西村 → B) and one in 古云镇 (南村 → C),
    one planned class each."""
    cast = education_cast
    yan, gu = cast.area("燕店镇"), cast.area("古云镇")
    a = make_school(yan, name="燕店镇中心小学")
    b = make_school(yan, name="燕店镇第二小学")
    c = make_school(gu, name="古云镇中心小学")
    plans = {s: make_plan(s.area, school=s, planned_classes=1) for s in (a, b, c)}
    zones = [
        make_zone(cast.area("莘县"), name="东村学区", schools=[a], villages=[cast.area("东村")]),
        make_zone(cast.area("莘县"), name="西村学区", schools=[b], villages=[cast.area("西村")]),
        make_zone(cast.area("莘县"), name="南村学区", schools=[c], villages=[cast.area("南村")]),
    ]
    return {"cast": cast, "schools": (a, b, c), "plans": plans, "zones": zones}
