import datetime as dt

from jiceng.party.life.models import Attendance, Meeting
from jiceng.party.testing import make_member, make_org


def meeting(area):
    return Meeting.objects.create(org=make_org(area), kind="general_meeting", held_on=dt.date(2026, 3, 5), topic="学习")


def attendance(area):
    org = make_org(area)
    held = Meeting.objects.create(org=org, kind="theme_day", held_on=dt.date(2026, 3, 5), topic="主题党日")
    return Attendance.objects.create(meeting=held, member=make_member(org), status="present")


TEST_FACTORIES = {Meeting: meeting, Attendance: attendance}
