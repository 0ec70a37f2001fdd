import datetime as dt
from decimal import Decimal

from jiceng.directory.models import Enterprise
from jiceng.party.registries import models as m
from jiceng.party.testing import make_org, make_person

D = dt.date(2026, 3, 1)


def enterprise(area):
    from jiceng.directory.identifiers import make_credit_code

    count = Enterprise.objects.count()
    return Enterprise.objects.create(
        name=f"测试企业{count}", credit_code=make_credit_code("91", f"REG{count:05d}"), area=area
    )


def pairing(area):
    return m.BranchPairing.objects.create(
        area=area,
        enterprise_branch=make_org(area, kind="new_economic"),
        village_branch=make_org(area, kind="village"),
        started_on=D,
    )


def instructor(area):
    return m.Instructor.objects.create(area=area, name="指导员", kind="party_cadre")


def contest(area):
    return m.Contest.objects.create(area=area, name="擂台比武", held_on=D)


TEST_FACTORIES = {
    m.FirstSecretary: lambda area: m.FirstSecretary.objects.create(
        area=area, person=make_person(area), dispatching_unit="省社科联", started_on=D
    ),
    m.Instructor: instructor,
    m.InstructorVisit: lambda area: m.InstructorVisit.objects.create(
        instructor=instructor(area), enterprise=enterprise(area), visited_on=D, content="指导"
    ),
    m.Alliance: lambda area: m.Alliance.objects.create(area=area, name="联盟", chain="大蒜"),
    m.BranchPairing: pairing,
    m.JointAction: lambda area: m.JointAction.objects.create(
        pairing=pairing(area), kind="policy", held_on=D, summary="讲政策"
    ),
    m.Contest: contest,
    m.ContestEntry: lambda area: m.ContestEntry.objects.create(contest=contest(area), contestant=make_person(area)),
    m.Post: lambda area: m.Post.objects.create(
        area=area, name="红帆驿站", kind="red_station", enterprise=enterprise(area)
    ),
    m.FundEntry: lambda area: m.FundEntry.objects.create(
        area=area, org=make_org(area), booked_on=D, income_source="fiscal", amount=Decimal(1000), description="拨付"
    ),
    m.Brand: lambda area: m.Brand.objects.create(area=area, name="品牌", level="city", kind="brand", year=2025),
    m.CultivationTarget: lambda area: m.CultivationTarget.objects.create(
        area=area, org=make_org(area), level="county", category="两新", year=2025
    ),
    m.PropagandaSite: lambda area: m.PropagandaSite.objects.create(
        area=area, name="党建主题公园", location="镇驻地", themes="党史"
    ),
}
