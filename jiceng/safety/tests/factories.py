import datetime as dt

from jiceng.directory.tests.factories import make_person
from jiceng.safety.models import GuidanceLog, Installation, SafetyProfile, StationingAssignment
from jiceng.safety.testing import make_enterprise, make_profile, make_sector


def make_installation(area, *, enterprise=None, **kwargs):
    enterprise = enterprise or make_enterprise(area)
    kwargs.setdefault("name", "1#装置")
    return Installation.objects.create(enterprise=enterprise, **kwargs)


def make_stationing(area, *, enterprise=None, supervisor=None, started_on=dt.date(2026, 1, 5), **kwargs):
    enterprise = enterprise or make_enterprise(area)
    return StationingAssignment.objects.create(
        enterprise=enterprise,
        supervisor=supervisor or make_person(area),
        sector=kwargs.pop("sector", None) or make_sector(),
        started_on=started_on,
        **kwargs,
    )


def make_guidance(area, *, assignment=None, visited_on=dt.date(2026, 3, 2), **kwargs):
    assignment = assignment or make_stationing(area)
    kwargs.setdefault("summary", "督促完善规章制度")
    return GuidanceLog.objects.create(assignment=assignment, visited_on=visited_on, **kwargs)


TEST_FACTORIES = {
    SafetyProfile: make_profile,
    Installation: make_installation,
    StationingAssignment: make_stationing,
    GuidanceLog: make_guidance,
}
