"""Test factories of transfers (leaf data written directly: test set-up, no rule is applied)."""

import datetime as dt

from jiceng.education.testing import make_class, make_school, make_student
from jiceng.education.transfers.models import Transfer


def make_transfer(area, *, student=None, to_class=None, on=None, status="applied", **kwargs):
    """A transfer into a new school of ``area`` for a student registered at another school there."""
    student = student or make_student(make_class(make_school(area), grade=1))
    to_class = to_class or make_class(make_school(area), grade=1)
    current = student.enrollments.filter(ended_on__isnull=True).select_related("school").first()
    on = on or dt.date(to_class.year, 9, 10)
    kwargs.setdefault("applied_on", on)
    return Transfer.objects.create(
        student=student,
        from_enrollment=current,
        from_school=current.school if current else None,
        to_class=to_class,
        to_school=to_class.school,
        on=on,
        status=status,
        **kwargs,
    )


TEST_FACTORIES = {Transfer: make_transfer}
