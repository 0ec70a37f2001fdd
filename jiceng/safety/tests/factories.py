import datetime as dt

from jiceng.directory.tests.factories import make_person
from jiceng.safety.models import GuidanceLog, Installation, ResidentSupervision, SafetyProfile
from jiceng.safety.testing import make_enterprise, make_profile, make_sector


def make_installation(area, *, enterprise=None, **kwargs):
    enterprise = enterprise or make_enterprise(area)
    kwargs.setdefault("name", "1#装置")
    return Installation.objects.create(enterprise=enterprise, **kwargs)


def make_resident_supervision(area, *, enterprise=None, supervisor=None, started_on=dt.date(2026, 1, 5), **kwargs):
    enterprise = enterprise or make_enterprise(area)
    return ResidentSupervision.objects.create(
        enterprise=enterprise,
        supervisor=supervisor or make_person(area),
        sector=kwargs.pop("sector", None) or make_sector(),
        started_on=started_on,
        **kwargs,
    )


def make_guidance(area, *, supervision=None, visited_on=dt.date(2026, 3, 2), **kwargs):
    supervision = supervision or make_resident_supervision(area)
    kwargs.setdefault("summary", "督促完善规章制度")
    return GuidanceLog.objects.create(supervision=supervision, visited_on=visited_on, **kwargs)


TEST_FACTORIES = {
    SafetyProfile: make_profile,
    Installation: make_installation,
    ResidentSupervision: make_resident_supervision,
    GuidanceLog: make_guidance,
}
