"""Test factories of hazardous work (leaf data written directly: test set-up, no policies needed)."""

import datetime as dt

from django.utils import timezone

from jiceng.safety.permits.models import OperationReport, WorkPermit
from jiceng.safety.testing import make_enterprise


def make_report(area, *, enterprise=None, starts_at=None, **kwargs):
    enterprise = enterprise or make_enterprise(area)
    starts_at = starts_at or timezone.now() + dt.timedelta(hours=1)
    kwargs.setdefault("work_type", "hot_work")
    kwargs.setdefault("location", "1#罐区")
    kwargs.setdefault("workers", 3)
    kwargs.setdefault("ends_at", starts_at + dt.timedelta(hours=4))
    return OperationReport.objects.create(enterprise=enterprise, starts_at=starts_at, **kwargs)


def make_permit(area, *, enterprise=None, valid_from=None, state="draft", **kwargs):
    """A permit written as it is (its level and window are the caller's: no rule is applied)."""
    enterprise = enterprise or make_enterprise(area)
    valid_from = valid_from or timezone.now() + dt.timedelta(hours=1)
    kwargs.setdefault("work_type", "hot_work")
    if kwargs["work_type"] == "hot_work":
        kwargs.setdefault("hot_work_level", "2")
        kwargs.setdefault("level", kwargs["hot_work_level"])
    kwargs.setdefault("valid_until", valid_from + dt.timedelta(hours=8))
    kwargs.setdefault("location", "1#罐区")
    kwargs.setdefault("content", "管线焊接")
    kwargs.setdefault("workers", 2)
    kwargs.setdefault("applicant", "张伟")
    kwargs.setdefault("guardian", "李强")
    return WorkPermit.objects.create(enterprise=enterprise, valid_from=valid_from, state=state, **kwargs)


TEST_FACTORIES = {OperationReport: make_report, WorkPermit: make_permit}
