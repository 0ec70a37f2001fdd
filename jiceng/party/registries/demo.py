"""Demo registries: the seed's examples placed in the demo county.

Figures from the catalogue (demo data, never code): the first secretary 王九正 sent by the
provincial federation of social sciences to 东街村 (P09); 4 retired cadres, 29 section-level
cadres and 26 party cadres as instructors of the park (P13); 8 enterprise branches paired with 8
village branches (P19); 16 red-sail stations and 92 demonstration zones and pioneer posts (P18);
14 city-level demonstration points and 2 training bases (P17); 23 cultivation targets (P15).
The park is the one the organisations demo builds in 莘亭街道 (docs/modules/party-orgs.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import DEMO_COUNTY_CODE, DEMO_TOWNSHIP_CODE, DEMO_VILLAGE_CODE
from jiceng.directory.models import Enterprise, Person
from jiceng.party.models import OrgKind, OrgLevel, PartyOrg
from jiceng.party.registries import models as m
from jiceng.party.registries import services

FIRST_SECRETARY = ("王九正", "山东省社会科学界联合会")
INSTRUCTORS = {m.InstructorKind.RETIRED_CADRE: 4, m.InstructorKind.SECTION_CADRE: 29, m.InstructorKind.PARTY_CADRE: 26}
PAIRINGS = 8
RED_STATIONS, OTHER_POSTS = 16, 92
DEMONSTRATION_POINTS, TRAINING_BASES = 14, 2
CULTIVATION_TARGETS = 23
PARK_FUND = [("fiscal", "200000"), ("dues_refund", "36000"), ("pre_tax", "120000")]


def build(ctx: Any) -> None:
    if m.Instructor.objects.filter(is_demo=True).exists():
        return
    rng = ctx.rng
    today = timezone.localdate()
    county = ctx.area(DEMO_COUNTY_CODE)
    township = ctx.area(DEMO_TOWNSHIP_CODE)
    village = ctx.area(DEMO_VILLAGE_CODE)
    orgs = PartyOrg.objects.filter(is_demo=True).select_related("area", "host_enterprise")
    park = orgs.filter(kind=OrgKind.PARK, level=OrgLevel.WORKING_COMMITTEE).first()
    park_area = park.area if park else county
    enterprise_branches = list(orgs.filter(host_enterprise__isnull=False).order_by("pk"))
    village_branches = list(
        orgs.filter(kind=OrgKind.VILLAGE, area__path__startswith=township.path).order_by("area__code")
    )

    person = Person.objects.filter(area=village).order_by("pk").first()
    if person is not None:
        do_bulk_create(
            m.FirstSecretary,
            [
                m.FirstSecretary(
                    area=village,
                    person=person,
                    dispatching_unit=FIRST_SECRETARY[1],
                    started_on=dt.date(today.year - 1, 3, 1),
                    league_instructor=True,
                    assessment="优秀",
                    is_demo=True,
                )
            ],
            acting_user=None,
            comment=f"demo data (the seed names {FIRST_SECRETARY[0]})",
        )
    park_enterprises = list(Enterprise.objects.filter(area__path__startswith=park_area.path).order_by("pk")[:60])
    instructors = []
    for kind, count in INSTRUCTORS.items():
        instructors += [
            m.Instructor(area=park_area, name=f"{kind.label}指导员{i + 1}", kind=kind, is_demo=True)
            for i in range(count)
        ]
    instructors = do_bulk_create(m.Instructor, instructors, acting_user=None, comment="demo data")
    visits = []
    for index, instructor in enumerate(instructors):
        if park_enterprises:
            instructor.enterprises.set(rng.sample(park_enterprises, min(2, len(park_enterprises))))
            for months_ago in range(1, 4):
                if index % 11 == 0 and months_ago == 1:
                    continue  # a few missed last month: the index page lists them
                day = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=10) - dt.timedelta(
                    days=31 * (months_ago - 1)
                )
                visits.append(
                    m.InstructorVisit(
                        instructor=instructor,
                        enterprise=rng.choice(park_enterprises),
                        visited_on=day,
                        content="组团式指导：党建、解难题、促发展",
                        is_demo=True,
                    )
                )
    do_bulk_create(m.InstructorVisit, visits, acting_user=None, comment="demo data")
    pairings = [
        m.BranchPairing(
            area=township, enterprise_branch=e, village_branch=v, started_on=dt.date(today.year - 1, 5, 1), is_demo=True
        )
        for e, v in zip(enterprise_branches[:PAIRINGS], village_branches[:PAIRINGS], strict=False)
    ]
    pairings = do_bulk_create(m.BranchPairing, pairings, acting_user=None, comment="demo data")
    kinds = list(m.JointActionKind)[:3]
    do_bulk_create(
        m.JointAction,
        [
            m.JointAction(
                pairing=p,
                kind=kinds[i % 3],
                held_on=dt.date(today.year, 1 + i % 9, 15),
                summary="讲政策、传技术、上项目",
                is_demo=True,
            )
            for i, p in enumerate(pairings)
        ],
        acting_user=None,
        comment="demo data",
    )
    posts = []
    for index in range(RED_STATIONS + OTHER_POSTS):
        if not park_enterprises:
            break
        kind = (
            m.PostKind.RED_STATION
            if index < RED_STATIONS
            else [m.PostKind.DEMONSTRATION_ZONE, m.PostKind.PIONEER_POST, m.PostKind.ENERGY_CHAMPION][index % 3]
        )
        company = park_enterprises[index % len(park_enterprises)]
        posts.append(
            m.Post(
                area=company.area,
                name=f"{company.name}{kind.label}{index + 1}",
                kind=kind,
                enterprise=company,
                is_demo=True,
            )
        )
    do_bulk_create(m.Post, posts, acting_user=None, comment="demo data")
    brands = [
        m.Brand(
            area=park_area,
            name=f"双强六好党建示范点{i + 1}",
            org=park,
            level=m.BrandLevel.CITY,
            kind=m.BrandKind.DEMONSTRATION_POINT,
            year=today.year - 1,
            is_demo=True,
        )
        for i in range(DEMONSTRATION_POINTS)
    ]
    brands += [
        m.Brand(
            area=park_area,
            name=f"党建实训基地{i + 1}",
            org=park,
            level=m.BrandLevel.CITY,
            kind=m.BrandKind.TRAINING_BASE,
            year=today.year - 1,
            is_demo=True,
        )
        for i in range(TRAINING_BASES)
    ]
    do_bulk_create(m.Brand, brands, acting_user=None, comment="demo data")
    targets = [
        m.CultivationTarget(
            area=org.area,
            org=org,
            level=m.BrandLevel.CITY if i < 3 else m.BrandLevel.COUNTY,
            category="两新组织",
            year=today.year,
            is_demo=True,
        )
        for i, org in enumerate(enterprise_branches[:CULTIVATION_TARGETS])
    ]
    do_bulk_create(m.CultivationTarget, targets, acting_user=None, comment="demo data")
    do_bulk_create(
        m.PropagandaSite,
        [
            m.PropagandaSite(
                area=township,
                name=f"{township.name}党建主题公园",
                location="镇驻地",
                themes="党史、组织、宣传、统战、政法",
                is_demo=True,
            )
        ],
        acting_user=None,
        comment="demo data",
    )
    if park is not None:
        for source, amount in PARK_FUND:
            services.do_create(
                m.FundEntry,
                data={
                    "org": park,
                    "area": park_area,
                    "booked_on": dt.date(today.year, 1, 10),
                    "income_source": source,
                    "amount": Decimal(amount),
                    "description": "园区党建经费",
                },
                acting_user=None,
            )
        services.do_create(
            m.FundEntry,
            data={
                "org": park,
                "area": park_area,
                "booked_on": dt.date(today.year, 6, 30),
                "use": "red_allowance",
                "amount": Decimal("-48000"),
                "payee": "专职党务干部8名",
                "description": "上半年“红色津贴”",
            },
            acting_user=None,
        )
        m.FundEntry.objects.filter(org=park).update(is_demo=True)  # demo marker only
    ctx.figures["party registries (instructors, posts, pairings)"] = (
        f"{len(instructors)}, {len(posts)}, {len(pairings)}"
    )
