"""The directory's part of the demo county: the area tree, people, enterprises, units and grids.

Everything created here has ``is_demo=True`` and is written through ``do_bulk_create`` (validated,
audited). The build is deterministic for a seed and idempotent: areas are created only where
their code is missing, and each registry (persons, enterprises, units, grids) is filled only
when it holds no demo rows yet.

- Areas come from ``demo_data/areas.json`` (real names and statistical codes from the seed
  articles, with ``verified`` flags) plus synthetic villages (codes ``3xx``, communities ``1xx``)
  generated from a fixed per-township random stream, so the tree is the same for every seed.
- Resident IDs are checksum-valid but synthetic: the sequence code is always 996–999, the block
  issued only to centenarians, while every demo person is 0–90 years old.
- Credit codes are checksum-valid with an organisation-code body starting ``DEM``.

Other apps find the areas through ``ctx.area(code)`` and the ``DEMO_*_CODE`` constants below.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from jiceng.core.services import do_bulk_create
from jiceng.directory.identifiers import make_credit_code, make_id_number
from jiceng.directory.models import (
    Area,
    AreaKind,
    AreaLevel,
    Enterprise,
    EnterpriseScale,
    Grid,
    Person,
    Sex,
    Unit,
)

DATA_DIR = Path(__file__).resolve().parent / "demo_data"

DEMO_PROVINCE_CODE = "370000000000"  # 山东省
DEMO_CITY_CODE = "371500000000"  # 聊城市
DEMO_COUNTY_CODE = "371522000000"  # 莘县, the demo county
DEMO_TOWNSHIP_CODE = "371522101000"  # 张鲁回族镇
DEMO_VILLAGE_CODE = "371522101200"  # 东街村 (张鲁回族镇)

PERSONS_AT_SCALE_1 = 50_000
ENTERPRISES_AT_SCALE_1 = 1_800
KEY_ENTERPRISES_AT_SCALE_1 = 600
DEMO_COUNTY_SHARE = 0.8  # of persons; the rest live in the other named townships
DEMO_COUNTY_ENTERPRISE_SHARE = 0.85

# Sequence codes (ID characters 15–17) given only to people aged 100 or more; odd = male.
SYNTHETIC_SERIALS = {Sex.MALE: (997, 999), Sex.FEMALE: (996, 998)}
SHARE_BORN_ELSEWHERE = 0.08  # IDs issued in another county of the tree (moved in, married in)
CREDIT_CODE_MARK = "DEM"  # organisation-code body prefix of every demo credit code
AVERAGE_HOUSEHOLD_SIZE = 2.9
HOUSEHOLDS_PER_GRID = 60
MAX_GRIDS_PER_VILLAGE = 4

# Villages (村/社区) per township, named ones included.
VILLAGES_PER_TOWNSHIP = {"demo_county": 6, "other": 4}
# 张鲁回族镇: 43 villages ("1+43+N", G01); 北城街道: 6 communities (seed)
VILLAGES_OVERRIDE = {DEMO_TOWNSHIP_CODE: 43, "371502008000": 6}
COMMUNITIES_ONLY = {"371502008000"}
COMMUNITIES_PER_SUBDISTRICT = 2

# Age bands (from, to inclusive) and weights: a rural county with many people in their fifties.
AGE_BANDS = [
    (0, 4, 4.5),
    (5, 9, 6.0),
    (10, 14, 6.5),
    (15, 19, 5.5),
    (20, 24, 4.5),
    (25, 29, 5.0),
    (30, 34, 7.0),
    (35, 39, 6.5),
    (40, 44, 6.0),
    (45, 49, 8.0),
    (50, 54, 9.0),
    (55, 59, 8.0),
    (60, 64, 6.5),
    (65, 69, 6.0),
    (70, 74, 4.5),
    (75, 79, 3.0),
    (80, 84, 2.0),
    (85, 90, 1.0),
]
SCALE_WEIGHTS_KEY = {EnterpriseScale.LARGE: 1, EnterpriseScale.MEDIUM: 4, EnterpriseScale.SMALL: 5}
SCALE_WEIGHTS_OTHER = {EnterpriseScale.MEDIUM: 1, EnterpriseScale.SMALL: 4, EnterpriseScale.MICRO: 6}
CHINESE_NUMERALS = "一二三四五六七八九十"


@cache
def load_data(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def reference_date() -> dt.date:
    """Birth dates are drawn back from 1 January of this year (stable within a year, never future)."""
    return dt.date(timezone.localdate().year, 1, 1)


@dataclass
class Tree:
    """The demo areas by code, with the townships and villages in code order."""

    by_code: dict[str, Area]
    townships: list[Area]
    villages: list[Area]

    def county_of(self, area: Area) -> Area:
        return self.by_code[area.code[:6] + "000000"]

    def township_of(self, village: Area) -> Area:
        return self.by_code[village.code[:9] + "000"]

    def in_demo_county(self, area: Area) -> bool:
        return area.code.startswith(DEMO_COUNTY_CODE[:6])


def build(ctx: Any) -> None:
    started = time.perf_counter()
    tree = build_areas(ctx)
    added = {
        "persons": build_persons(ctx, tree),
        "enterprises": build_enterprises(ctx, tree),
        "units": build_units(ctx, tree),
    }
    added["grids"] = build_grids(ctx, tree)
    ctx.figures["areas"] = Area.objects.filter(is_demo=True).count()
    ctx.figures["persons"] = Person.objects.filter(is_demo=True).count()
    ctx.figures["enterprises"] = Enterprise.objects.filter(is_demo=True).count()
    ctx.figures["key enterprises"] = Enterprise.objects.filter(is_demo=True, is_key=True).count()
    ctx.figures["units"] = Unit.objects.filter(is_demo=True).count()
    ctx.figures["grids"] = Grid.objects.filter(is_demo=True).count()
    if not any(added.values()):
        ctx.figures["directory"] = "demo already present; nothing added"
    ctx.figures["directory seconds"] = round(time.perf_counter() - started, 1)


# --- areas ---------------------------------------------------------------------------------


def area_specs() -> list[dict[str, Any]]:
    """Named areas from the data file plus the synthetic villages, parents before children."""
    named = [dict(spec, synthetic=False) for spec in load_data("areas.json")["areas"]]
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for spec in named:
        if spec["parent"]:
            children[spec["parent"]].append(spec)
    synthetic = []
    for spec in named:
        if len(spec["code"]) == 12 and spec["code"][9:] == "000" and spec["code"][6:] != "000000":
            synthetic += _synthetic_villages(spec, children[spec["code"]])
    specs = named + synthetic
    return sorted(specs, key=lambda s: (_depth(s["code"]), s["code"]))


def _depth(code: str) -> int:
    return [AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY, AreaLevel.TOWNSHIP, AreaLevel.VILLAGE].index(
        _level(code)
    )


def _level(code: str) -> AreaLevel:
    from jiceng.directory.models import level_for_code

    return level_for_code(code)


def _synthetic_villages(township: dict[str, Any], named: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Enough made-up villages/communities that the township has its target number of them."""
    code = township["code"]
    if code in VILLAGES_OVERRIDE:
        target = VILLAGES_OVERRIDE[code]
    elif code.startswith(DEMO_COUNTY_CODE[:6]):
        target = VILLAGES_PER_TOWNSHIP["demo_county"]
    else:
        target = VILLAGES_PER_TOWNSHIP["other"]
    missing = target - len(named)
    if missing <= 0:
        return []
    words = load_data("names.json")
    rng = random.Random(int(code))  # the tree does not depend on the demo seed
    taken = {spec["name"] for spec in named}
    communities = 0
    if code in COMMUNITIES_ONLY:
        communities = missing
    elif township["kind"] == AreaKind.SUBDISTRICT:
        communities = min(COMMUNITIES_PER_SUBDISTRICT, missing)
    specs = []
    for index in range(missing):
        is_community = index < communities
        while True:
            if is_community:
                name = rng.choice(words["community_names"]) + "社区"
            else:
                name = (
                    rng.choice(words["village_prefixes"])
                    + rng.choice(list(words["surnames"]))
                    + rng.choice(words["village_suffixes"])
                    + "村"
                )
            if name not in taken:
                break
        taken.add(name)
        number = 101 + index if is_community else 301 + index - communities
        specs.append(
            {
                "code": f"{code[:9]}{number:03d}",
                "name": name,
                "kind": AreaKind.COMMUNITY if is_community else AreaKind.VILLAGE,
                "parent": code,
                "verified": False,
                "synthetic": True,
            }
        )
    return specs


def build_areas(ctx: Any) -> Tree:
    """Create the areas whose codes are missing, level by level (a child needs its parent's path)."""
    specs = area_specs()
    by_code = {a.code: a for a in Area.objects.filter(code__in=[s["code"] for s in specs])}
    created = 0
    for depth in range(5):
        batch = [
            Area(
                code=spec["code"],
                name=spec["name"],
                kind=spec["kind"],
                parent=by_code[spec["parent"]] if spec["parent"] else None,
                is_demo=True,
            )
            for spec in specs
            if _depth(spec["code"]) == depth and spec["code"] not in by_code
        ]
        if batch:
            for area in do_bulk_create(Area, batch, acting_user=None, comment="demo data"):
                by_code[area.code] = area
            created += len(batch)
    ctx.figures["areas added"] = created
    townships = sorted((a for a in by_code.values() if a.level == AreaLevel.TOWNSHIP), key=lambda a: a.code)
    villages = sorted((a for a in by_code.values() if a.level == AreaLevel.VILLAGE), key=lambda a: a.code)
    return Tree(by_code=by_code, townships=townships, villages=villages)


# --- persons -------------------------------------------------------------------------------


def scaled(count_at_scale_1: int, scale: float) -> int:
    return max(1, round(count_at_scale_1 * scale)) if scale > 0 else 0


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder; sums exactly to ``total``)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def village_weights(tree: Tree, rng: random.Random) -> list[float]:
    """Relative size of each village: the demo county holds ``DEMO_COUNTY_SHARE`` of everyone."""
    in_county = [v for v in tree.villages if tree.in_demo_county(v)]
    raw = [rng.uniform(0.6, 1.4) * (1.5 if v.kind == AreaKind.COMMUNITY else 1.0) for v in tree.villages]
    county_sum = sum(w for w, v in zip(raw, tree.villages, strict=True) if tree.in_demo_county(v))
    other_sum = sum(raw) - county_sum
    if len(in_county) == len(tree.villages) or other_sum == 0:
        return raw
    return [
        w * (DEMO_COUNTY_SHARE / county_sum if tree.in_demo_county(v) else (1 - DEMO_COUNTY_SHARE) / other_sum)
        for w, v in zip(raw, tree.villages, strict=True)
    ]


def _era(birth_year: int) -> str:
    if birth_year < 1960:
        return "before_1960"
    if birth_year < 1980:
        return "1960_1979"
    if birth_year < 2000:
        return "1980_1999"
    return "2000_later"


class NameMaker:
    def __init__(self, rng: random.Random) -> None:
        words = load_data("names.json")
        self.rng = rng
        self.surnames = list(words["surnames"])
        self.surname_weights = list(words["surnames"].values())
        self.given = words["given_names"]

    def person(self, sex: str, birth_year: int) -> str:
        surname = self.rng.choices(self.surnames, weights=self.surname_weights)[0]
        return surname + self.rng.choice(self.given[_era(birth_year)][sex])


class IdMaker:
    """Synthetic resident IDs: sequence codes 996–999 only; a full day moves to the next day."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken

    def make(self, region: str, birth: dt.date, sex: str, latest: dt.date) -> str:
        day = birth
        for _ in range(3660):
            for serial in SYNTHETIC_SERIALS[sex]:
                number = make_id_number(region, day, serial)
                if number not in self.taken:
                    self.taken.add(number)
                    return number
            day = day + dt.timedelta(days=1) if day < latest else day - dt.timedelta(days=400)
        raise RuntimeError("no free synthetic resident ID left near this birth date")


def build_persons(ctx: Any, tree: Tree) -> int:
    if Person.objects.filter(is_demo=True).exists():
        return 0
    rng = ctx.rng
    total = scaled(PERSONS_AT_SCALE_1, ctx.scale)
    counts = _allocate(total, village_weights(tree, rng))
    names = NameMaker(rng)
    ids = IdMaker(set(Person.objects.values_list("id_number", flat=True)))
    latest = reference_date()
    bands = [(lo, hi) for lo, hi, _ in AGE_BANDS]
    band_weights = [w for _, _, w in AGE_BANDS]
    counties = sorted({tree.county_of(v).code[:6] for v in tree.villages})
    persons = []
    for village, count in zip(tree.villages, counts, strict=True):
        township = tree.township_of(village)
        home_region = village.code[:6]
        for house in range(1, count + 1):
            lo, hi = rng.choices(bands, weights=band_weights)[0]
            age = rng.randint(lo, hi)
            birth = latest - dt.timedelta(days=age * 365 + rng.randint(0, 364))
            sex = rng.choice((Sex.MALE, Sex.FEMALE))
            region = rng.choice(counties) if rng.random() < SHARE_BORN_ELSEWHERE else home_region
            id_number = ids.make(region, birth, sex, latest)
            persons.append(
                Person(
                    name=names.person(sex, birth.year),
                    id_number=id_number,
                    sex=sex,
                    birth_date=dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])),
                    area=village,
                    address=f"{township.name}{village.name}{(house - 1) // 3 + 1}号",
                    is_demo=True,
                )
            )
    validate_generated(persons)
    do_bulk_create(Person, persons, acting_user=None, comment="demo data", validate=False)
    return len(persons)


def validate_generated(objs: list[Any]) -> None:
    """``full_clean`` of generated rows minus the one-query-per-row check that ``area`` exists.

    The areas are the saved rows of ``build_areas``; skipping that check (``do_bulk_create(...,
    validate=False)``) halves the build time at scale 1.0, while every field validator (resident
    ID and credit-code checksums, lengths, choices) and the model's ``clean()`` still run.
    """
    for obj in objs:
        if obj.area_id is None:
            raise ValueError(f"demo row {obj} has no area")
        obj.full_clean(exclude=["area"], validate_unique=False, validate_constraints=False)


# --- enterprises ---------------------------------------------------------------------------


def _enterprise_prefix(county: Area, city: Area) -> str:
    if county.kind == AreaKind.DISTRICT:
        return city.name.removesuffix("市")
    return county.name


def build_enterprises(ctx: Any, tree: Tree) -> int:
    if Enterprise.objects.filter(is_demo=True).exists():
        return 0
    rng = ctx.rng
    words = load_data("names.json")
    kinds = words["enterprise_kinds"]
    sectors = list(kinds)
    sector_weights = [kinds[s]["weight"] for s in sectors]
    total = scaled(ENTERPRISES_AT_SCALE_1, ctx.scale)
    key_count = min(total, scaled(KEY_ENTERPRISES_AT_SCALE_1, ctx.scale))
    in_county = [a for a in tree.townships + tree.villages if tree.in_demo_county(a)]
    elsewhere = [a for a in tree.townships + tree.villages if not tree.in_demo_county(a)]
    names = NameMaker(rng)
    taken_names = set(Enterprise.objects.values_list("name", flat=True))
    taken_codes = set(Enterprise.objects.values_list("credit_code", flat=True))
    serial = 0
    enterprises = []
    for index in range(total):
        is_key = index < key_count
        area = rng.choice(in_county if rng.random() < DEMO_COUNTY_ENTERPRISE_SHARE or not elsewhere else elsewhere)
        county = tree.county_of(area)
        prefix = _enterprise_prefix(county, tree.by_code[county.code[:4] + "00000000"])
        sector = rng.choices(sectors, weights=sector_weights)[0]
        while True:
            word = rng.choice(kinds[sector]["words"])
            trade = rng.choice(words["trade_name_first"]) + rng.choice(words["trade_name_second"])
            is_cooperative = word.endswith("合作社")
            name = f"{prefix}{trade}{word}" + ("" if is_cooperative else rng.choice(words["enterprise_suffixes"]))
            if name not in taken_names:
                break
        taken_names.add(name)
        scale_weights = SCALE_WEIGHTS_KEY if is_key else SCALE_WEIGHTS_OTHER
        while True:
            serial += 1
            # 93 = farmers' cooperative, 91 = enterprise (registration authority and kind).
            code = make_credit_code(
                "93" if is_cooperative else "91", f"{CREDIT_CODE_MARK}{serial:05d}", county.code[:6]
            )
            if code not in taken_codes:
                break
        taken_codes.add(code)
        birth_year = rng.randint(1960, 1990)
        enterprises.append(
            Enterprise(
                name=name,
                credit_code=code,
                sector=sector,
                scale=rng.choices(list(scale_weights), weights=list(scale_weights.values()))[0],
                legal_representative=names.person(rng.choice((Sex.MALE, Sex.FEMALE)), birth_year),
                area=area,
                address=f"{tree.township_of(area).name if area.level == AreaLevel.VILLAGE else area.name}"
                + (area.name if area.level == AreaLevel.VILLAGE else "")
                + f"{rng.randint(1, 300)}号",
                is_key=is_key,
                is_demo=True,
            )
        )
    validate_generated(enterprises)
    do_bulk_create(Enterprise, enterprises, acting_user=None, comment="demo data", validate=False)
    return len(enterprises)


# --- units ---------------------------------------------------------------------------------


def build_units(ctx: Any, tree: Tree) -> int:
    if Unit.objects.filter(is_demo=True).exists():
        return 0
    templates = load_data("names.json")["units"]
    units: list[Unit] = []
    for area in sorted(tree.by_code.values(), key=lambda a: a.code):
        if area.level == AreaLevel.CITY:
            rows = [(t.format(city=area.name), kind) for t, kind in templates["city"]]
        elif area.level == AreaLevel.COUNTY:
            rows = [(t.format(county=area.name), kind) for t, kind in templates["county"]]
        elif area.level == AreaLevel.TOWNSHIP:
            group = "subdistrict" if area.kind == AreaKind.SUBDISTRICT else "township"
            rows = [(t.format(township=area.name), kind) for t, kind in templates[group]]
        elif area.level == AreaLevel.VILLAGE:
            group = "community" if area.kind == AreaKind.COMMUNITY else "village"
            rows = [(t.format(village=area.name), kind) for t, kind in templates[group]]
        else:
            continue
        units += [Unit(name=name, kind=kind, area=area, is_demo=True) for name, kind in rows]
    for area_code, name, kind in templates.get("named", []):
        if area_code in tree.by_code:
            units.append(Unit(name=name, kind=kind, area=tree.by_code[area_code], is_demo=True))
    do_bulk_create(Unit, units, acting_user=None, comment="demo data")
    return len(units)


# --- grids ---------------------------------------------------------------------------------


def build_grids(ctx: Any, tree: Tree) -> int:
    """Grids per village, sized by its demo households, each with a grid worker from the township."""
    if Grid.objects.filter(is_demo=True).exists():
        return 0
    rng = ctx.rng
    latest = reference_date()
    residents: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for pk, area_id, birth in (
        Person.objects.filter(is_demo=True).order_by("id").values_list("id", "area_id", "birth_date")
    ):
        residents[area_id].append((pk, birth))
    used: set[int] = set()

    def working_age(pool: list[tuple[int, dt.date]]) -> list[int]:
        return [pk for pk, birth in pool if 25 <= (latest - birth).days // 365 <= 60 and pk not in used]

    by_township: dict[str, list[Area]] = defaultdict(list)
    for village in tree.villages:
        by_township[village.code[:9]].append(village)
    # Households: the county-wide total split over villages by their residents (exact at any scale).
    village_sizes = [len(residents.get(v.pk, [])) for v in tree.villages]
    total_households = round(sum(village_sizes) / AVERAGE_HOUSEHOLD_SIZE)
    village_households = (
        _allocate(total_households, [float(n) for n in village_sizes]) if total_households else [0] * len(tree.villages)
    )
    grids = []
    for village, households in zip(tree.villages, village_households, strict=True):
        people = residents.get(village.pk, [])
        count = min(MAX_GRIDS_PER_VILLAGE, max(1, math.ceil(households / HOUSEHOLDS_PER_GRID)))
        neighbours = [p for v in by_township[village.code[:9]] for p in residents.get(v.pk, [])]
        for number, share in enumerate(_allocate(households, [1.0] * count), start=1):
            candidates = working_age(people) or working_age(neighbours) or [p for p, _ in neighbours if p not in used]
            worker = rng.choice(candidates) if candidates else None
            if worker is not None:
                used.add(worker)
            grids.append(
                Grid(
                    name=f"{village.name}第{CHINESE_NUMERALS[number - 1]}网格",
                    code=f"{village.code}{number:02d}",
                    area=village,
                    grid_worker_id=worker,
                    households=share,
                    is_demo=True,
                )
            )
    do_bulk_create(Grid, grids, acting_user=None, comment="demo data")
    return len(grids)
