"""Demo party organisations: the county committee and the demo township's tree.

张鲁回族镇 (the demo township, "1+43+N": one township, 43 villages — catalogue G01) gets a
township party committee, one branch per village or community, an organ branch, a branch in
each of its key enterprises and joint branches (≤ 5 enterprises each) for the others. Later
demo parts (members, meetings, points, dues, registries) build on these organisations.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

from jiceng.core.policies.services import get_policy
from jiceng.core.services import do_bulk_create, do_create
from jiceng.directory.demo import DEMO_COUNTY_CODE, DEMO_TOWNSHIP_CODE
from jiceng.directory.models import AreaKind, Enterprise, Unit, UnitKind
from jiceng.party.models import OrgKind, OrgLevel, PartyOrg

# Share of the township's non-key enterprises grouped into joint branches (the rest have none
# yet, so that coverage figures have something to show).
JOINT_BRANCH_SHARE = 0.6


def build(ctx: Any) -> None:
    if PartyOrg.objects.filter(is_demo=True).exists():
        return
    county = ctx.area(DEMO_COUNTY_CODE)
    township = ctx.area(DEMO_TOWNSHIP_CODE)
    county_unit = Unit.objects.filter(area=county, kind=UnitKind.PARTY_COMMITTEE).first()
    county_org = do_create(
        PartyOrg,
        data={
            "name": f"中共{county.name}委员会",
            "short_name": f"{county.name}委",
            "level": OrgLevel.COMMITTEE,
            "kind": OrgKind.OTHER,
            "area": county,
            "host_unit": county_unit,
            "is_demo": True,
        },
        acting_user=None,
        comment="demo data",
    )
    township_unit = Unit.objects.filter(area=township, kind=UnitKind.PARTY_COMMITTEE).first()
    township_org = do_create(
        PartyOrg,
        data={
            "name": f"中共{township.name}委员会",
            "short_name": f"{township.name}党委",
            "level": OrgLevel.COMMITTEE,
            "kind": OrgKind.TOWNSHIP,
            "parent": county_org,
            "area": township,
            "host_unit": township_unit,
            "is_demo": True,
        },
        acting_user=None,
        comment="demo data",
    )
    branches: list[PartyOrg] = []
    villages = township.children.order_by("code")
    committees = {u.area_id: u for u in Unit.objects.filter(area__in=villages, kind=UnitKind.VILLAGE_COMMITTEE)}
    for village in villages:
        kind = OrgKind.COMMUNITY if village.kind == AreaKind.COMMUNITY else OrgKind.VILLAGE
        branches.append(
            PartyOrg(
                name=f"中共{village.name}支部委员会",
                short_name=f"{village.name}党支部",
                level=OrgLevel.BRANCH,
                kind=kind,
                parent=township_org,
                area=village,
                host_unit=committees.get(village.pk),
                is_demo=True,
            )
        )
    government = Unit.objects.filter(area=township, kind=UnitKind.GOVERNMENT).first()
    branches.append(
        PartyOrg(
            name=f"中共{township.name}机关支部委员会",
            short_name=f"{township.name}机关党支部",
            level=OrgLevel.BRANCH,
            kind=OrgKind.ORGAN,
            parent=township_org,
            area=township,
            host_unit=government,
            is_demo=True,
        )
    )
    enterprises = list(Enterprise.objects.filter(area__path__startswith=township.path).order_by("name"))
    key = [e for e in enterprises if e.is_key]
    others = [e for e in enterprises if not e.is_key]
    for enterprise in key:
        branches.append(
            PartyOrg(
                name=f"中共{enterprise.name}支部委员会",
                short_name=f"{enterprise.name}党支部",
                level=OrgLevel.BRANCH,
                kind=OrgKind.NEW_ECONOMIC,
                parent=township_org,
                area=enterprise.area,
                host_enterprise=enterprise,
                is_demo=True,
            )
        )
    do_bulk_create(PartyOrg, branches, acting_user=None, comment="demo data")
    joint_max = get_policy("party.org.joint_branch_max_units", area_path=township.path).value
    grouped = others[: int(len(others) * JOINT_BRANCH_SHARE)]
    for joints, start in enumerate(range(0, len(grouped), joint_max), start=1):
        group = grouped[start : start + joint_max]
        do_create(
            PartyOrg,
            data={
                "name": f"中共{township.name}非公企业第{joints}联合支部委员会",
                "short_name": f"非公企业第{joints}联合党支部",
                "level": OrgLevel.JOINT_BRANCH,
                "kind": OrgKind.NEW_ECONOMIC,
                "parent": township_org,
                "area": township,
                "covered_enterprises": group,
                "is_demo": True,
            },
            acting_user=None,
            comment="demo data",
        )
    ctx.figures["party organisations"] = apps.get_model("party", "PartyOrg").objects.filter(is_demo=True).count()
