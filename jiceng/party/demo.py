"""Demo party organisations: the county committee and the demo township's tree.

张鲁回族镇 (the demo township, "1+43+N": one township, 43 villages — catalogue G01) gets a
township party committee, one branch per village or community, an organ branch, a branch in
each of its key enterprises and joint branches (≤ 5 enterprises each) for the others. Later
demo parts (members, meetings, points, dues, registries) build on these organisations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import Count

from jiceng.core.policies.services import get_policy
from jiceng.core.services import do_bulk_create, do_create
from jiceng.directory.demo import DEMO_COUNTY_CODE, DEMO_TOWNSHIP_CODE
from jiceng.directory.models import AreaKind, Enterprise, Unit, UnitKind
from jiceng.party.models import OrgKind, OrgLevel, PartyOrg

# Share of the township's non-key enterprises grouped into joint branches (the rest have none
# yet, so that coverage figures have something to show).
JOINT_BRANCH_SHARE = 0.6


def build(ctx: Any) -> None:
    build_tree(ctx)
    build_park(ctx)
    build_health_bureau(ctx)
    build_terms(ctx)
    ctx.figures["party organisations"] = PartyOrg.objects.filter(is_demo=True).count()


def build_tree(ctx: Any) -> None:
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


# --- the park (catalogue P12) ------------------------------------------------------------------
# 金乡县's park model (园区党工委 → 4 片区综合党委 → one branch per enterprise; 100% of enterprises
# with their own organisation, over 90% of secretaries from management), set up in the demo
# county's seat subdistrict: its enterprises are the park's.
PARK_AREA_CODE = "371522002000"  # 莘亭街道
PARK_ZONES = ["东区", "西区", "南区", "北区"]
PARK_SECRETARIES_NOT_FROM_MANAGEMENT_EVERY = 12  # one secretary in 12 is not from management (> 90%)

# The county health bureau's organ committee (catalogue P07: 3 serving-staff and 2 retired-cadre
# branches that completed re-election on time).
ORGAN_UNIT_NAME = "莘县卫生健康局"
ORGAN_BRANCHES = [
    ("第一在职党支部", OrgKind.SERVING),
    ("第二在职党支部", OrgKind.SERVING),
    ("第三在职党支部", OrgKind.SERVING),
    ("第一老干部党支部", OrgKind.RETIRED),
    ("第二老干部党支部", OrgKind.RETIRED),
]

# Terms of the demo organisations relative to the build date: a few expire within the reminder
# lead time, one is overdue.
TERMS_DUE = 3
TERMS_OVERDUE = 1


def _county_org() -> PartyOrg | None:
    return PartyOrg.objects.filter(is_demo=True, parent__isnull=True, level=OrgLevel.COMMITTEE).first()


def build_park(ctx: Any) -> None:
    if PartyOrg.objects.filter(is_demo=True, kind=OrgKind.PARK).exists():
        return
    county = _county_org()
    park_area = ctx.area(PARK_AREA_CODE)
    working = do_create(
        PartyOrg,
        data={
            "name": f"中共莘县经济开发区（{park_area.name}）工作委员会",
            "short_name": "开发区党工委",
            "level": OrgLevel.WORKING_COMMITTEE,
            "kind": OrgKind.PARK,
            "parent": county,
            "area": park_area,
            "is_demo": True,
        },
        acting_user=None,
        comment="demo data",
    )
    zones = [
        do_create(
            PartyOrg,
            data={
                "name": f"中共莘县经济开发区{zone}片区综合委员会",
                "short_name": f"{zone}片区综合党委",
                "level": OrgLevel.COMMITTEE,
                "kind": OrgKind.PARK,
                "parent": working,
                "area": park_area,
                "is_demo": True,
            },
            acting_user=None,
            comment="demo data",
        )
        for zone in PARK_ZONES
    ]
    enterprises = Enterprise.objects.filter(area__path__startswith=park_area.path).order_by("area__code", "name")
    branches = [
        PartyOrg(
            name=f"中共{enterprise.name}支部委员会",
            short_name=f"{enterprise.name}党支部",
            level=OrgLevel.BRANCH,
            kind=OrgKind.NEW_ECONOMIC,
            parent=zones[index % len(zones)],
            area=enterprise.area,
            host_enterprise=enterprise,
            is_demo=True,
        )
        for index, enterprise in enumerate(enterprises)
        if not enterprise.party_orgs.exists()
    ]
    do_bulk_create(PartyOrg, branches, acting_user=None, comment="demo data")


def build_health_bureau(ctx: Any) -> None:
    if PartyOrg.objects.filter(is_demo=True, kind=OrgKind.RETIRED).exists():
        return
    county_area = ctx.area(DEMO_COUNTY_CODE)
    unit = Unit.objects.filter(area=county_area, name=ORGAN_UNIT_NAME).first()
    organ = do_create(
        PartyOrg,
        data={
            "name": f"中共{ORGAN_UNIT_NAME}机关委员会",
            "short_name": f"{ORGAN_UNIT_NAME}机关党委",
            "level": OrgLevel.COMMITTEE,
            "kind": OrgKind.ORGAN,
            "parent": _county_org(),
            "area": county_area,
            "host_unit": unit,
            "is_demo": True,
        },
        acting_user=None,
        comment="demo data",
    )
    for name, kind in ORGAN_BRANCHES:
        do_create(
            PartyOrg,
            data={
                "name": f"中共{ORGAN_UNIT_NAME}{name}委员会",
                "short_name": f"{name}",
                "level": OrgLevel.BRANCH,
                "kind": kind,
                "parent": organ,
                "area": county_area,
                "host_unit": unit,
                "is_demo": True,
            },
            acting_user=None,
            comment="demo data",
        )


# --- terms and posts -------------------------------------------------------------------------
TOWNSHIP_SECRETARIES_FROM_MANAGEMENT_OF_10 = 7  # key-enterprise branches elsewhere: 7 in 10 secretaries


def build_terms(ctx: Any) -> None:
    """A current term with its elected posts for every demo organisation (not groups), then the
    term scan (reminders and the overdue alert)."""
    from django.utils import timezone

    from jiceng.party.models import OrgTerm, add_months
    from jiceng.party.services import scan_terms, term_policy

    if OrgTerm.objects.filter(is_demo=True).exists():
        return
    today = timezone.localdate()
    rng = ctx.rng
    orgs = list(
        PartyOrg.objects.filter(is_demo=True)
        .exclude(level=OrgLevel.GROUP)
        .select_related("area", "parent")
        .order_by("area__path", "pk")
    )
    people = _PersonPicker(rng)
    township_branches = [
        o for o in orgs if o.area.path.startswith(ctx.area(DEMO_TOWNSHIP_CODE).path) and o.level == OrgLevel.BRANCH
    ]
    due = {o.pk: months_left for months_left, o in enumerate(township_branches[1 : 1 + TERMS_DUE], start=1)}
    overdue = {o.pk for o in township_branches[-TERMS_OVERDUE:]}
    park_branches = [o for o in orgs if o.parent is not None and o.parent.kind == OrgKind.PARK]
    hosted = [o for o in orgs if o.host_enterprise_id is not None and o not in park_branches]
    other_management = {o.pk for i, o in enumerate(hosted) if i % 10 < TOWNSHIP_SECRETARIES_FROM_MANAGEMENT_OF_10}
    park_not_management = {
        o.pk for i, o in enumerate(park_branches) if i % PARK_SECRETARIES_NOT_FROM_MANAGEMENT_EVERY == 1
    }
    for org in orgs:
        months = term_policy(org, on=today).value
        if org.pk in overdue:
            elected = add_months(today, -(months + 2))
        elif org.pk in due:
            elected = add_months(today, due[org.pk] - months)
        elif org.kind in (OrgKind.SERVING, OrgKind.RETIRED):
            previous = add_months(today, -(months + rng.randint(2, 6)))  # then re-elected on time (P07)
            _elect(org, previous, people.pick(org.area, 3), rng, management=False)
            elected = add_months(previous, months)
        else:
            elected = add_months(today, -rng.randint(3, months - 6))
        if org.pk in {o.pk for o in park_branches}:
            management = org.pk not in park_not_management
        else:
            management = org.pk in other_management
        large = org.level in (OrgLevel.COMMITTEE, OrgLevel.WORKING_COMMITTEE) or org.kind in (
            OrgKind.VILLAGE,
            OrgKind.COMMUNITY,
        )
        _elect(org, elected, people.pick(org.area, 5 if large else 3), rng, management=management)
    counts = scan_terms(today)
    ctx.figures["party terms"] = OrgTerm.objects.filter(is_demo=True).count()
    ctx.figures["party terms due for re-election"] = counts["due"]
    ctx.figures["party terms overdue"] = counts["overdue"]
    ctx.figures["health bureau branches re-elected on time"] = (
        PartyOrg.objects.filter(is_demo=True, kind__in=[OrgKind.SERVING, OrgKind.RETIRED], terms__isnull=False)
        .annotate(n=Count("terms"))
        .filter(n__gte=2)
        .count()
    )
    park = PartyOrg.objects.filter(is_demo=True, level=OrgLevel.WORKING_COMMITTEE, kind=OrgKind.PARK).first()
    if park is not None:
        from jiceng.party.selectors import coverage

        figures = coverage(park.area, None, on=today, restricted=False)["totals"]
        ctx.figures["park enterprises covered"] = (
            f"{figures['covered']}/{figures['enterprises']} ({figures['coverage']}%)"
        )
        ctx.figures["park secretaries from management"] = (
            f"{figures['from_management']}/{figures['secretaries']} ({figures['management_share']}%)"
        )


class _PersonPicker:
    """Persons of an area's subtree, each given one post at most."""

    def __init__(self, rng: Any) -> None:
        self.rng = rng
        self.used: set[int] = set()
        self.pools: dict[int, list[int]] = {}

    def pick(self, area: Any, n: int) -> list[Any]:
        from jiceng.directory.models import Person

        pool = self.pools.get(area.pk)
        if pool is None:
            pool = list(
                Person.objects.filter(area__path__startswith=area.path).order_by("pk").values_list("pk", flat=True)
            )
            self.rng.shuffle(pool)
            self.pools[area.pk] = pool
        chosen: list[int] = []
        while pool and len(chosen) < n:
            pk = pool.pop()
            if pk not in self.used:
                self.used.add(pk)
                chosen.append(pk)
        by_pk = Person.objects.in_bulk(chosen)
        return [by_pk[pk] for pk in chosen]


def _elect(org: PartyOrg, elected_on: dt.date, people: list[Any], rng: Any, *, management: bool) -> None:
    from jiceng.party.models import PositionRole
    from jiceng.party.services import do_record_election

    positions = []
    for index, person in enumerate(people):
        if index == 0:
            role = PositionRole.SECRETARY
        elif index == 1 and len(people) >= 5:
            role = PositionRole.DEPUTY_SECRETARY
        else:
            role = PositionRole.COMMITTEE_MEMBER
        positions.append({"person": person, "role": role, "from_management": management and index == 0})
    approved = elected_on + dt.timedelta(days=rng.randint(5, 20))
    do_record_election(
        org,
        elected_on=elected_on,
        positions=positions,
        approved_on=approved,
        filed_on=approved,
        acting_user=None,
        is_demo=True,
    )
