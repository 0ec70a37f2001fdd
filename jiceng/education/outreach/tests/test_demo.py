"""The outreach demo on top of the base education demo at a small scale: the season's tickets, all
called back but the recent handful, the overdue alert, study groups with one coverage gap, class
meetings, aid for the registered poor students, activities; a second run adds nothing."""

import random

import pytest

from jiceng.core.alerts.models import Alert
from jiceng.core.policies.services import do_load_policies, read_seed_file
from jiceng.demo import DemoContext
from jiceng.education import demo as base_demo
from jiceng.education.outreach import demo, selectors, services
from jiceng.education.outreach.models import (
    ClassMeeting,
    CoeducationActivity,
    Consultation,
    PolicyNotice,
    Reflection,
    StudentAid,
    StudyGroup,
    StudyLog,
)

SCALE = 0.02
MODELS = (PolicyNotice, Consultation, StudyGroup, StudyLog, ClassMeeting, Reflection, StudentAid, CoeducationActivity)


@pytest.fixture
def built(db):
    ctx = DemoContext(scale=SCALE, rng=random.Random(7))
    for label in ["directory", "accounts"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    do_load_policies(read_seed_file(), acting_user=None)
    base_demo.build(ctx)
    demo.build(ctx)
    return ctx


def test_demo_builds_and_is_idempotent(built):
    district = built.area(demo.DISTRICT)
    tickets = Consultation.objects.filter(area__path__startswith=district.path)
    season = tickets.filter(received_at__date__lt=demo.SEASON_START.replace(month=8))
    assert season.count() >= demo.SEASON_DAYS * 3
    assert not season.filter(callback_done_at__isnull=True).exists()  # 100% called back
    open_tickets = tickets.filter(callback_done_at__isnull=True)
    assert open_tickets.count() == demo.RECENT_DUE + demo.RECENT_OVERDUE
    overdue = Alert.objects.filter(rule=services.OVERDUE_RULE)
    assert overdue.count() == demo.RECENT_OVERDUE
    assert built.figures["education.outreach.season_callback_rate_pct"] == "100.0"
    assert StudyGroup.objects.exists() and StudyLog.objects.exists()
    schools = {group.school for group in StudyGroup.objects.select_related("school__area")}
    gaps = [gap for school in schools for gap in selectors.school_coverage(school, demo.HOLIDAY_START)["gaps"]]
    assert len(gaps) == built.figures["education.outreach.coverage_gaps"] == 1
    assert Reflection.objects.filter(is_selected=True).exists()
    assert StudentAid.objects.filter(student__is_registered_poor=True).count() == StudentAid.objects.count() > 0
    assert CoeducationActivity.objects.exists()
    assert PolicyNotice.objects.get(area=district).published_on is not None
    before = tuple(m.objects.count() for m in MODELS)
    demo.build(built)
    assert tuple(m.objects.count() for m in MODELS) == before
