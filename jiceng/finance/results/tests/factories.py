"""Factories of the results app: one object of every served model in a given Area (scope matrix).

Rows are written directly (test set-up of leaf data, not a user's action); the rules are tested
through the services.
"""

import datetime as dt
from decimal import Decimal

from jiceng.finance.results.models import (
    Finding,
    IdleFundWarning,
    MonitoringReport,
    PerformanceTarget,
    ReviewNote,
    TargetReport,
)
from jiceng.finance.testing import make_project, make_unit

D = dt.date(2026, 7, 31)


def make_target(area, *, project=None, **kwargs):
    kwargs.setdefault("indicator", f"测试指标{PerformanceTarget.objects.count() + 1}")
    kwargs.setdefault("category", "output_quantity")
    kwargs.setdefault("target_value", Decimal("100"))
    kwargs.setdefault("unit", "个")
    target = PerformanceTarget(project=project or make_project(area), **kwargs)
    target.save()
    return target


def make_report(area, *, target=None, **kwargs):
    kwargs.setdefault("reported_on", D)
    kwargs.setdefault("achieved", Decimal("50"))
    kwargs.setdefault("forecast", Decimal("100"))
    return TargetReport.objects.create(target=target or make_target(area), **kwargs)


def make_warning(area, *, project=None, **kwargs):
    kwargs.setdefault("rule", "large_slow")
    kwargs.setdefault("scanned_on", dt.date(2026, 8, 31))
    kwargs.setdefault("explanation", "测试预警")
    warning = IdleFundWarning(project=project or make_project(area), **kwargs)
    warning.save()
    return warning


def make_finding(area, *, project=None, **kwargs):
    project = project or make_project(area)
    kwargs.setdefault("kind", "execution_lag")
    kwargs.setdefault("text", "执行进度滞后")
    kwargs.setdefault("issued_on", D)
    kwargs.setdefault("due_on", D + dt.timedelta(days=4))
    kwargs.setdefault("due_workdays", 3)
    finding = Finding(project=project, department=project.unit, **kwargs)
    finding.save()
    return finding


def make_monitoring_report(area, **kwargs):
    kwargs.setdefault("period_end", D)
    kwargs.setdefault("year", kwargs["period_end"].year)
    kwargs.setdefault("title", "测试监控报告")
    kwargs.setdefault("figures", {})
    return MonitoringReport.objects.create(area=area, **kwargs)


def make_review_note(area, *, department=None, **kwargs):
    kwargs.setdefault("for_year", 2027)
    kwargs.setdefault("recommendation", "reduce")
    kwargs.setdefault("text", "下年度压减预算")
    note = ReviewNote(department=department or make_unit(area), **kwargs)
    note.save()
    return note


TEST_FACTORIES = {
    PerformanceTarget: make_target,
    TargetReport: make_report,
    IdleFundWarning: make_warning,
    Finding: make_finding,
    MonitoringReport: make_monitoring_report,
    ReviewNote: make_review_note,
}
