"""Factories of safety training rows: each takes the Area the row must belong to (scope matrix).

Written directly (test set-up, leaf data); the tests themselves go through the services.
"""

import datetime as dt

from django.utils import timezone

from jiceng.directory.tests.factories import make_person
from jiceng.safety.testing import make_enterprise, make_profile
from jiceng.safety.training.models import (
    Broadcast,
    CertificateCheck,
    Exam,
    PublicityActivity,
    SpotTest,
    SpotTestResult,
    TrainingSession,
)

DAY = dt.date(2026, 3, 2)


def supervised(area, *, employees=100, **kwargs):
    """An enterprise in ``area`` with its safety profile (``employees`` on the payroll)."""
    return make_profile(area, employees=employees, **kwargs).enterprise


def make_training(area, *, enterprise=None, **kwargs):
    kwargs.setdefault("held_on", DAY)
    kwargs.setdefault("topic", "全员安全培训")
    kwargs.setdefault("participants", 10)
    return TrainingSession.objects.create(enterprise=enterprise or supervised(area), **kwargs)


def make_exam(area, *, enterprise=None, **kwargs):
    kwargs.setdefault("held_on", DAY)
    kwargs.setdefault("title", "安全知识考试")
    kwargs.setdefault("candidates", 10)
    kwargs.setdefault("passed", 9)
    return Exam.objects.create(enterprise=enterprise or supervised(area), **kwargs)


def make_spot_test(area, *, enterprise=None, **kwargs):
    kwargs.setdefault("tested_on", DAY)
    kwargs.setdefault("officer", "县应急局执法人员")
    kwargs.setdefault("pass_mark", 80)
    return SpotTest.objects.create(enterprise=enterprise or supervised(area), **kwargs)


def make_result(area, *, spot_test=None, **kwargs):
    kwargs.setdefault("score", 90)
    kwargs.setdefault("passed", True)
    return SpotTestResult.objects.create(
        spot_test=spot_test or make_spot_test(area),
        employee=kwargs.pop("employee", None) or make_person(area),
        **kwargs,
    )


def make_certificate_check(area, *, enterprise=None, **kwargs):
    kwargs.setdefault("checked_on", DAY)
    kwargs.setdefault("inspector", "县应急局执法人员")
    kwargs.setdefault("holder_name", "张三")
    kwargs.setdefault("kind", "special_operation")
    kwargs.setdefault("certificate_number", "T371522198001010011")
    kwargs.setdefault("issuing_authority", "聊城市应急管理局")
    kwargs.setdefault("valid_until", dt.date(2028, 1, 1))
    kwargs.setdefault("result", "valid")
    return CertificateCheck.objects.create(enterprise=enterprise or make_enterprise(area), **kwargs)


def make_publicity(area, **kwargs):
    kwargs.setdefault("target", "village")
    kwargs.setdefault("held_on", DAY)
    kwargs.setdefault("title", "安全宣传进农村")
    return PublicityActivity.objects.create(area=area, **kwargs)


def make_broadcast(area, **kwargs):
    now = timezone.now()
    kwargs.setdefault("title", "安全提示")
    kwargs.setdefault("message", "安全生产 是民生大事 一丝一毫 不能放松")
    kwargs.setdefault("starts_at", now + dt.timedelta(hours=1))
    kwargs.setdefault("ends_at", now + dt.timedelta(days=2))
    return Broadcast.objects.create(area=area, **kwargs)


TEST_FACTORIES = {
    TrainingSession: make_training,
    Exam: make_exam,
    SpotTest: make_spot_test,
    SpotTestResult: make_result,
    CertificateCheck: make_certificate_check,
    PublicityActivity: make_publicity,
    Broadcast: make_broadcast,
}
