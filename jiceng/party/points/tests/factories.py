import datetime as dt
from decimal import Decimal

from jiceng.core.scoring.services import do_record_points
from jiceng.party.points.models import MemberPointsEntry, PointsAppeal, PointsRule, StarRating
from jiceng.party.testing import make_member, make_org


def rule(area):
    return PointsRule.objects.create(area=area, code="R1", name="参加主题党日", points=Decimal(2))


def entry(area):
    member = make_member(make_org(area))
    row = do_record_points(member, rule_key="R1", points=Decimal(2), period="2026")
    return MemberPointsEntry.objects.get(pk=row.pk)


def appeal(area):
    row = entry(area)
    member = make_member(make_org(area))
    return PointsAppeal.objects.create(entry=row, member=member, filed_on=dt.date(2026, 5, 1), reason="记录有误")


def rating(area):
    return StarRating.objects.create(
        org=make_org(area), year=2025, total=Decimal(85), band_stars=4, rated_on=dt.date(2026, 2, 1)
    )


TEST_FACTORIES = {PointsRule: rule, MemberPointsEntry: entry, PointsAppeal: appeal, StarRating: rating}
