"""Test factories of catchment allocation (leaf data written directly: test set-up)."""

from jiceng.education.allocation.models import AllocationRun, CatchmentZone, EnrolmentPlan, IntakeRecord, Placement
from jiceng.education.testing import make_school


def make_zone(area, *, schools=(), villages=(), **kwargs):
    kwargs.setdefault("name", f"测试学区{CatchmentZone.objects.count() + 1}")
    zone = CatchmentZone.objects.create(area=area, **kwargs)
    zone.schools.set(schools)
    zone.villages.set(villages)
    return zone


def make_plan(area, *, school=None, year=2026, grade=1, planned_classes=2, **kwargs):
    school = school or make_school(area, stage="primary" if grade == 1 else "junior")
    return EnrolmentPlan.objects.create(
        school=school, year=year, grade=grade, planned_classes=planned_classes, **kwargs
    )


def make_run(area, **kwargs):
    kwargs.setdefault("name", "测试派位")
    kwargs.setdefault("year", 2026)
    kwargs.setdefault("grade", 1)
    kwargs.setdefault("seed", 20260601)
    return AllocationRun.objects.create(area=area, **kwargs)


def make_placement(area, *, run=None, **kwargs):
    run = run or make_run(area)
    kwargs.setdefault("index", run.placements.count())
    kwargs.setdefault("name", "测试儿童")
    kwargs.setdefault("home_area", area)
    kwargs.setdefault("lottery", kwargs["index"])
    kwargs.setdefault("via", "unplaced")
    return Placement.objects.create(run=run, **kwargs)


def make_intake(area, *, school=None, year=2020, grade=7, admitted=100, **kwargs):
    school = school or make_school(area, stage="junior")
    return IntakeRecord.objects.create(school=school, year=year, grade=grade, admitted=admitted, **kwargs)


TEST_FACTORIES = {
    CatchmentZone: make_zone,
    EnrolmentPlan: make_plan,
    AllocationRun: make_run,
    Placement: make_placement,
    IntakeRecord: make_intake,
}
