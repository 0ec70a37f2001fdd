"""The results demo builds on the finance demo of 莘县: targets, reports through July, deviations,
findings (closed and overdue), idle-fund warnings, the Jan–Jul report, notes; a second run adds nothing."""

import random

import pytest

from jiceng.core.alerts.models import Alert
from jiceng.demo import DEMO_APPS, DemoContext
from jiceng.finance.results import demo, reports, rules, selectors, services
from jiceng.finance.results.models import (
    Finding,
    IdleFundWarning,
    MonitoringReport,
    PerformanceTarget,
    ReviewNote,
    TargetReport,
)

SCALE = 0.05


@pytest.fixture
def built(db, today):
    ctx = DemoContext(scale=SCALE, rng=random.Random(7))
    for label in ["directory", "accounts", "core.policies", "finance", "finance.results"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    assert DEMO_APPS.index("finance.results") > DEMO_APPS.index("finance")
    return ctx


def counts():
    return tuple(
        m.objects.count()
        for m in (PerformanceTarget, TargetReport, Finding, IdleFundWarning, MonitoringReport, ReviewNote, Alert)
    )


def test_the_demo_has_every_part_and_it_follows_from_the_rows(built):
    assert PerformanceTarget.objects.exists() and TargetReport.objects.exists()
    year = PerformanceTarget.objects.values_list("project__year", flat=True).first()
    area = built.area(demo.COUNTY_CODE)
    july = rules.month_end(year, rules.policy(rules.SUMMARY_MONTH, area, built_date(year)).value)
    assert TargetReport.objects.latest("reported_on").reported_on == july
    flagged = selectors.deviations(PerformanceTarget.objects.all(), july)
    assert flagged and len(flagged) == built.figures["finance_results.deviating_projects"]
    closed = Finding.objects.filter(status="closed")
    overdue = [f for f in Finding.objects.all() if f.is_overdue()]
    assert closed.exists() and overdue
    assert {
        int(pk)
        for pk in Alert.objects.filter(rule=services.OVERDUE_RULE)
        .exclude(state="closed")
        .values_list("object_id", flat=True)
    } == {f.pk for f in overdue}
    for warning in IdleFundWarning.objects.select_related("project"):
        check = next(c for c in services.idle_checks_for(warning.project, warning.scanned_on) if c.rule == warning.rule)
        assert check.flagged
    report = MonitoringReport.objects.get()
    assert report.period_end == july and report.figures == reports.compute_figures(area, july)
    assert ReviewNote.objects.filter(for_year=year + 1).count() == closed.count()


def built_date(year):
    import datetime as dt

    return dt.date(year, 7, 31)


def test_the_demo_is_idempotent(built):
    before = counts()
    demo.build(built)
    assert counts() == before
