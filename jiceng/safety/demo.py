"""The supervision registry of the demo city (聊城市应急管理局, catalogue S01, S07, S09, S11).

The seed article's figures are demo constants here, scaled with ``ctx.scale`` and written as rows
(the pages compute them back from the rows):

- 16 supervision sectors; 735 supervisors stationed at 599 key enterprises (S01), whose guidance
  logs add up to 8,412 rules improved and 8,624 training sessions;
- hazardous-chemical registrations: 63 producers, 619 traders, 3 users, 55 chemical/pharma (S09);
- standardisation grades: 1 level-1, 26 level-2, 121 level-3 (S11), plus a few near expiry;
- retrofit of 101 installations at 45 enterprises, informatisation of 64 enterprises' 592
  filling stations (S07); 14 deep-well casting and 354 explosive-dust enterprises (S02).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from jiceng.core.dates import add_months
from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import DEMO_CITY_CODE, scaled
from jiceng.directory.models import Enterprise, Person, Unit
from jiceng.safety.models import (
    ChemicalRole,
    GuidanceLog,
    Installation,
    InstallationKind,
    ResidentSupervision,
    SafetyGrade,
    SafetyProfile,
    SafetySector,
)
from jiceng.safety.services import grade_expiry

# code, name — the bureau's 16 sectors (the seed gives the count, not the names: demo data).
SECTORS = [
    ("hazchem", "危险化学品"),
    ("fireworks", "烟花爆竹"),
    ("non_coal_mining", "非煤矿山"),
    ("metallurgy", "冶金"),
    ("nonferrous", "有色金属"),
    ("building_materials", "建材"),
    ("machinery", "机械"),
    ("light_industry", "轻工"),
    ("textiles", "纺织"),
    ("tobacco", "烟草"),
    ("commerce", "商贸"),
    ("explosive_dust", "粉尘涉爆"),
    ("ammonia_refrigeration", "涉氨制冷"),
    ("town_gas", "城镇燃气"),
    ("construction", "建筑施工"),
    ("transport", "交通运输"),
]
# words of the demo enterprise names → sector
NAME_SECTORS = [
    ("化工", "hazchem"),
    ("制药", "hazchem"),
    ("新材料", "hazchem"),
    ("纺织", "textiles"),
    ("建材", "building_materials"),
    ("钢结构", "metallurgy"),
    ("轴承", "nonferrous"),
    ("机械", "machinery"),
    ("农机制造", "machinery"),
    ("木业", "explosive_dust"),
    ("食品", "ammonia_refrigeration"),
]
DIRECTORY_SECTORS = {
    "B": "non_coal_mining",
    "D": "town_gas",
    "E": "construction",
    "K": "construction",
    "F": "commerce",
    "H": "commerce",
    "G": "transport",
}
KEY_STATIONED = 599  # of the 600 demo key enterprises (S01)
SUPERVISORS = 735
RULES_IMPROVED = 8412
TRAININGS_HELD = 8624
CHEMICAL_ROLES = {
    ChemicalRole.PRODUCER: 63,
    ChemicalRole.TRADER: 619,
    ChemicalRole.USER: 3,
    ChemicalRole.CHEMICAL_PHARMA: 55,
}
GRADES = {SafetyGrade.LEVEL1: 1, SafetyGrade.LEVEL2: 26, SafetyGrade.LEVEL3: 121}
GRADES_NEAR_EXPIRY = 4  # of the level-3 grades: awarded just under three years ago
RETROFIT_ENTERPRISES, RETROFIT_INSTALLATIONS = 45, 101
INFORMATISED_ENTERPRISES, FILLING_STATIONS = 64, 592
DEEP_WELL_CASTING, EXPLOSIVE_DUST = 14, 354
GUIDANCE_SUMMARIES = [
    "督促完善安全生产责任制和岗位操作规程",
    "检查隐患排查治理台账，指导建立双重预防机制",
    "指导修订应急预案并组织演练",
    "督促开展全员安全培训，抽查培训档案",
    "检查特殊作业票证管理，指导规范审批流程",
    "督促落实重大危险源包保责任制",
]


def build(ctx: Any) -> None:
    if SafetySector.objects.filter(is_demo=True).exists():
        ctx.figures["safety"] = "demo already present; nothing added"
        return
    rng = random.Random(f"{ctx.rng.random()}-safety")
    today = timezone.localdate()
    sectors = {
        code: SafetySector.objects.create(code=code, name=name, order=i, is_demo=True)
        for i, (code, name) in enumerate(SECTORS, start=1)
    }
    profiles = build_profiles(ctx, rng, sectors, today)
    build_installations(ctx, rng, profiles)
    build_resident_supervision(ctx, rng, profiles, today)
    ctx.figures["safety profiles"] = len(profiles)
    ctx.figures["key enterprises under resident supervision"] = (
        ResidentSupervision.objects.filter(is_demo=True).values("enterprise").distinct().count()
    )


def _sector_for(enterprise: Enterprise, sectors: dict[str, SafetySector]) -> SafetySector:
    for word, code in NAME_SECTORS:
        if word in enterprise.name:
            return sectors[code]
    return sectors[DIRECTORY_SECTORS.get(enterprise.sector, "light_industry")]


def build_profiles(
    ctx: Any, rng: random.Random, sectors: dict[str, SafetySector], today: dt.date
) -> list[SafetyProfile]:
    """A profile for every key enterprise, every registered hazardous-chemical enterprise and every
    enterprise of the 百日清零 categories (deep-well casting, explosive dust)."""
    enterprises = list(Enterprise.objects.filter(is_demo=True).select_related("area").order_by("id"))
    key = [e for e in enterprises if e.is_key]
    # chemical roles: chemical-sounding names first, then manufacturers, traders and carriers, key ones last
    chemical_first = sorted(
        enterprises,
        key=lambda e: (not any(w in e.name for w in ("化工", "制药")), e.sector not in ("C", "F", "G"), e.is_key, e.id),
    )
    roles: dict[int, str] = {}
    pool = iter(chemical_first)
    for role, count in CHEMICAL_ROLES.items():
        for _ in range(scaled(count, ctx.scale)):
            enterprise = next(pool, None)
            if enterprise is not None:
                roles[enterprise.pk] = role
    # the 百日清零 categories (S02) among the city's other manufacturers, key enterprises first
    city = DEMO_CITY_CODE[:4]
    makers = sorted(
        (e for e in enterprises if e.sector == "C" and e.pk not in roles and e.area.code.startswith(city)),
        key=lambda e: (not e.is_key, e.id),
    )
    casting = {e.pk for e in makers[: scaled(DEEP_WELL_CASTING, ctx.scale)]}
    rest = [e for e in makers if e.pk not in casting]
    rng.shuffle(rest)
    # dust explodes in food, wood and farm-product works too: other city enterprises when short
    others = [e for e in enterprises if e.pk not in roles and e.sector != "C" and e.area.code.startswith(city)]
    dusty = {e.pk for e in [*rest, *others][: scaled(EXPLOSIVE_DUST, ctx.scale)]}
    chosen = {e.pk: e for e in key}
    chosen.update({e.pk: e for e in enterprises if e.pk in roles or e.pk in casting or e.pk in dusty})
    profiles = []
    for enterprise in chosen.values():
        role = roles.get(enterprise.pk, ChemicalRole.NONE)
        sector = sectors["hazchem"] if role else _sector_for(enterprise, sectors)
        profiles.append(
            SafetyProfile(
                enterprise=enterprise,
                area=enterprise.area,
                sector=sector,
                chemical_role=role,
                principal=enterprise.legal_representative,
                safety_manager=f"{enterprise.legal_representative[0]}安全员",
                employees=rng.randint(20, 600) if enterprise.is_key else rng.randint(5, 80),
                is_demo=True,
            )
        )
    # standardisation grades, key enterprises first (awarded within the last three years)
    graded = [p for p in profiles if p.enterprise.is_key]
    rng.shuffle(graded)
    position = 0
    for grade, count in GRADES.items():
        for index in range(scaled(count, ctx.scale)):
            if position >= len(graded):
                break
            profile = graded[position]
            position += 1
            near = grade == SafetyGrade.LEVEL3 and index < GRADES_NEAR_EXPIRY
            awarded = (
                add_months(today, -35) + dt.timedelta(days=index)
                if near
                else today - dt.timedelta(days=rng.randint(30, 900))
            )
            profile.safety_grade = grade
            profile.grade_awarded_on = awarded
            profile.grade_expires_on = grade_expiry(profile.enterprise, awarded)
    for profile in profiles:
        if profile.enterprise_id in casting:
            profile.is_deep_well_casting = True
            profile.sector = sectors["nonferrous"]
        elif profile.enterprise_id in dusty:
            profile.has_explosive_dust = True
            profile.sector = sectors["explosive_dust"]
    return do_bulk_create(SafetyProfile, profiles, acting_user=None, comment="demo data")


def build_installations(ctx: Any, rng: random.Random, profiles: list[SafetyProfile]) -> None:
    """Retrofitted process installations at producers and chemical/pharma enterprises (S07) and the
    filling stations of trading enterprises, all informatised."""
    done_on = timezone.localdate() - dt.timedelta(days=120)
    makers = [p for p in profiles if p.chemical_role in (ChemicalRole.PRODUCER, ChemicalRole.CHEMICAL_PHARMA)]
    rows: list[Installation] = []
    retrofit_enterprises = makers[: scaled(RETROFIT_ENTERPRISES, ctx.scale)]
    per = _split(scaled(RETROFIT_INSTALLATIONS, ctx.scale), len(retrofit_enterprises))
    for profile, count in zip(retrofit_enterprises, per, strict=True):
        for number in range(1, count + 1):
            rows.append(
                Installation(
                    enterprise=profile.enterprise,
                    area=profile.area,
                    name=f"{number}#生产装置",
                    kind=InstallationKind.PROCESS_UNIT,
                    retrofit_required=True,
                    retrofit_done_on=done_on - dt.timedelta(days=rng.randint(0, 300)),
                    informatised_on=done_on,
                    is_demo=True,
                )
            )
    traders = [p for p in profiles if p.chemical_role == ChemicalRole.TRADER]
    station_owners = traders[: scaled(INFORMATISED_ENTERPRISES, ctx.scale)]
    per = _split(scaled(FILLING_STATIONS, ctx.scale), len(station_owners))
    for profile, count in zip(station_owners, per, strict=True):
        for number in range(1, count + 1):
            rows.append(
                Installation(
                    enterprise=profile.enterprise,
                    area=profile.area,
                    name=f"第{number}加油站",
                    kind=InstallationKind.GAS_STATION,
                    informatised_on=done_on - dt.timedelta(days=rng.randint(0, 200)),
                    is_demo=True,
                )
            )
    do_bulk_create(Installation, rows, acting_user=None, comment="demo data")
    ctx.figures["safety installations"] = len(rows)


def _split(total: int, parts: int) -> list[int]:
    """``total`` over ``parts`` as evenly as possible, each at least one when there is enough."""
    if parts <= 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def build_resident_supervision(ctx: Any, rng: random.Random, profiles: list[SafetyProfile], today: dt.date) -> None:
    """Supervisors from the bureaux stationed at the key enterprises since January, with a year of
    guidance visits whose counters add up to the seed's totals."""
    key_profiles = [p for p in profiles if p.enterprise.is_key][: scaled(KEY_STATIONED, ctx.scale)]
    if not key_profiles:
        return
    start = dt.date(today.year, 1, 1)
    if (today - start).days < 60:
        start = dt.date(today.year - 1, 1, 1)
    cutoff = dt.date(start.year - 58, 1, 1)
    earliest = dt.date(start.year - 25, 1, 1)
    people = list(
        Person.objects.filter(is_demo=True, birth_date__gt=cutoff, birth_date__lt=earliest)
        .order_by("id")
        .values_list("id", flat=True)[: scaled(SUPERVISORS, ctx.scale) * 3]
    )
    rng.shuffle(people)
    supervisors = people[: scaled(SUPERVISORS, ctx.scale)]
    units = {
        u.area.code[:6]: u
        for u in Unit.objects.filter(is_demo=True, name__endswith="应急管理局").select_related("area")
    }
    city_unit = units.get(DEMO_CITY_CODE[:6])
    supervisions: list[ResidentSupervision] = []
    for index, supervisor in enumerate(supervisors):
        profile = key_profiles[index % len(key_profiles)]
        supervisions.append(
            ResidentSupervision(
                enterprise=profile.enterprise,
                area=profile.area,
                supervisor_id=supervisor,
                sector=profile.sector,
                unit=units.get(profile.enterprise.area.code[:6], city_unit),
                started_on=start,
                is_demo=True,
            )
        )
    # every key enterprise chosen has at least one supervisor even when there are fewer people
    covered = {a.enterprise_id for a in supervisions}
    for profile in key_profiles:
        if profile.enterprise_id not in covered and supervisors:
            supervisions.append(
                ResidentSupervision(
                    enterprise=profile.enterprise,
                    area=profile.area,
                    supervisor_id=rng.choice(supervisors),
                    sector=profile.sector,
                    unit=units.get(profile.enterprise.area.code[:6], city_unit),
                    started_on=start,
                    is_demo=True,
                )
            )
    supervisions = do_bulk_create(ResidentSupervision, supervisions, acting_user=None, comment="demo data")
    visits_each = 4
    logs = []
    span = max((today - start).days, 1)
    for supervision in supervisions:
        for visit in range(visits_each):
            day = start + dt.timedelta(days=span * (visit + 1) // (visits_each + 1) + rng.randint(-5, 5))
            logs.append(
                GuidanceLog(
                    supervision=supervision,
                    visited_on=min(max(day, start), today),
                    summary=rng.choice(GUIDANCE_SUMMARIES),
                    is_demo=True,
                )
            )
    for name, total in (("rules_improved", RULES_IMPROVED), ("trainings_held", TRAININGS_HELD)):
        for log, value in zip(logs, _split(scaled(total, ctx.scale), len(logs)), strict=True):
            setattr(log, name, value)
    do_bulk_create(GuidanceLog, logs, acting_user=None, comment="demo data")
    ctx.figures["safety supervisors"] = len(supervisors)
    ctx.figures["safety guidance visits"] = len(logs)
