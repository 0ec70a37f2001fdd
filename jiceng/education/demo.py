"""The education registry of the demo: schools, teachers, classes and students of two counties.

- 东昌府区 (371502, the district of seed 003): ≈140 primary, junior and nine-year schools in its three
  urban subdistricts and four rural towns, ≈8,600 teachers (seed E12: 「公办教师8600多人」; the
  2017–2020 recruitment of 2,780 — 1,277 established posts, 1,503 contract — is kept in the hire
  dates), ≈40,000 students, the named schools of seeds 000 and 003 and the three city groups formed
  on 15 July 2022 (E01). No class is over the cap (E07: all eliminated on 8 September 2020; a few
  classes keep ``cleared_on`` = that day as the history of the elimination), several stand at
  exactly the cap.
- 莘县 (371522, the demo county): ≈40 schools, ≈2,400 teachers, ≈10,000 students and its 8 "1+X"
  education groups with a head principal (E01), 莘县实验小学 with its 莘州 and 东鲁 campuses.

Counts scale with ``ctx.scale``; the named schools and groups are there at every scale. Students are
the directory's school-age people of the county where there are some, and new people (synthetic
resident IDs, sequence codes 996–999 as in the directory demo) for the rest; the student number is
``"G"`` + the resident ID. Every student has one open enrollment in a class of school year 2026
(1 September 2026 – 15 July 2027). A handful of registrations are wrong on purpose, for the
integrity lists: students attending another school (人籍分离), students found at no school
(空挂学籍) and children registered twice (two persons with one name and birth date).

The real schools' exact areas are not in our data: the named urban schools stand in communities of
the district's urban subdistricts, 郑家镇中学 in 郑家镇.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from jiceng.core.policies.services import get_policy
from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import (
    DEMO_COUNTY_CODE,
    SYNTHETIC_SERIALS,
    NameMaker,
    _allocate,
    load_data,
    scaled,
    validate_generated,
)
from jiceng.directory.identifiers import make_id_number
from jiceng.directory.models import Area, AreaKind, AreaLevel, Person, Sex
from jiceng.education import sizes
from jiceng.education.choices import (
    STAGE_GRADES,
    Employment,
    EnrollmentReason,
    GroupKind,
    Location,
    MemberRole,
    SchoolStage,
    Subject,
)
from jiceng.education.models import (
    AttendanceStatus,
    Campus,
    EducationGroup,
    Enrollment,
    GroupMembership,
    School,
    SchoolClass,
    SchoolYear,
    Student,
    Teacher,
)

DISTRICT_CODE = "371502000000"  # 东昌府区 (seed 003)
COUNTY_CODE = DEMO_COUNTY_CODE  # 莘县
SCHOOL_YEAR = 2026
YEAR_STARTS = dt.date(SCHOOL_YEAR, 9, 1)
HISTORY_YEARS = (2025, 2026)
ELIMINATED_ON = dt.date(2020, 9, 8)  # E07: 55人以上大班额全面消除 (学籍平台工作完成)
CITY_GROUPS_FORMED = dt.date(2022, 7, 15)  # E01
COUNTY_GROUPS_FORMED = dt.date(2021, 8, 20)  # not in the seed: 莘县's groups predate the 2023 article
ATTENDANCE_CHECKED = dt.date(SCHOOL_YEAR, 9, 15)

# Regions (ID characters 1–6) of 聊城 whose residents' children go to school in either county.
LIAOCHENG_REGIONS = ["371502", "371522", "371521", "371523", "371524", "371525", "371526", "371581"]


@dataclass(frozen=True)
class CountyPlan:
    code: str
    schools: int  # at scale 1.0, named ones included
    teachers: int
    students: int
    urban_share: float  # of the generated schools
    min_generated: int  # generated schools at any scale (a few of each kind)


DISTRICT = CountyPlan(DISTRICT_CODE, schools=140, teachers=8600, students=40_000, urban_share=0.45, min_generated=6)
COUNTY = CountyPlan(COUNTY_CODE, schools=40, teachers=2400, students=10_000, urban_share=0.3, min_generated=2)
EXACTLY_AT_CAP_SHARE = 0.04  # of the urban classes
STANDARD_JUNIOR = "education.class_size.standard_junior"
URBAN_CLASS_SIZES = (42, 53)  # the demo's urban classes (seed 003: the district's classes are full)
RURAL_SMALL_CLASS = 25  # a village school's class at a small scale
CLEARED_HISTORY_CLASSES = 4  # classes of the named city schools that keep the 2020 date
PART_TIME_SHARE = 0.06
RECRUITED_2017_2020 = (2780, 1277)  # E12: hired in four rounds, of them on established posts
REGISTERED_POOR_SHARE = {Location.URBAN: 0.01, Location.RURAL: 0.04}
# Registration anomalies (人籍分离, 空挂学籍, duplicates) per county: the integrity lists' work items.
ANOMALIES = {
    DISTRICT_CODE: {"elsewhere": 3, "absent": 2, "duplicate": 1},
    COUNTY_CODE: {"elsewhere": 1, "absent": 1, "duplicate": 1},
}


@dataclass(frozen=True)
class NamedSchool:
    name: str
    stage: str
    township: str
    short_name: str = ""
    campuses: tuple[tuple[str, str], ...] = ()  # (name, township code); the first is the main one
    weight: float = 2.0


NAMED_DISTRICT = [
    NamedSchool(
        "聊城文轩中学",
        SchoolStage.JUNIOR,
        "371502003000",
        "文轩中学",
        (("本部", "371502003000"), ("西校区", "371502006000")),
        weight=3.0,
    ),
    NamedSchool("聊城八中", SchoolStage.JUNIOR, "371502008000", "八中"),
    NamedSchool("湖西中学", SchoolStage.JUNIOR, "371502003000"),
    NamedSchool("聊城东昌中学", SchoolStage.JUNIOR, "371502008000", "东昌中学", weight=3.0),
    NamedSchool("聊城第十一中学", SchoolStage.JUNIOR, "371502006000", "十一中"),
    NamedSchool("范恭屯中学", SchoolStage.JUNIOR, "371502008000", "东昌中学北校区"),
    NamedSchool(
        "聊城实验中学",
        SchoolStage.JUNIOR,
        "371502003000",
        "实验中学",
        (("振兴路校区", "371502003000"), ("向阳路校区", "371502006000")),
        weight=3.0,
    ),
    NamedSchool("郑家镇中学", SchoolStage.JUNIOR, "371502105000", weight=1.5),
]
CITY_GROUPS: list[tuple[str, str, list[str]]] = [  # E01: (group, lead school, member schools)
    ("聊城文轩中学教育集团", "聊城文轩中学", ["聊城八中", "湖西中学"]),
    ("聊城东昌中学教育集团", "聊城东昌中学", ["聊城第十一中学", "范恭屯中学"]),
    ("聊城实验中学教育集团", "聊城实验中学", []),
]
# 莘县's 8 groups (E01: 「设置了8个教育集团」): only the first is named in the seed; the others are
# the demo's. (group, lead school, stage, township of the lead)
COUNTY_GROUPS = [
    ("莘县实验小学教育集团", "莘县实验小学", SchoolStage.PRIMARY, "371522003000"),
    ("莘县实验初级中学教育集团", "莘县实验初级中学", SchoolStage.JUNIOR, "371522003000"),
    ("莘县第二实验小学教育集团", "莘县第二实验小学", SchoolStage.PRIMARY, "371522001000"),
    ("莘县东鲁中学教育集团", "莘县东鲁中学", SchoolStage.JUNIOR, "371522004000"),
    ("莘县第三实验小学教育集团", "莘县第三实验小学", SchoolStage.PRIMARY, "371522002000"),
    ("莘县莘亭中学教育集团", "莘县莘亭中学", SchoolStage.JUNIOR, "371522002000"),
    ("莘县第四实验小学教育集团", "莘县第四实验小学", SchoolStage.PRIMARY, "371522004000"),
    ("莘县燕塔中学教育集团", "莘县燕塔中学", SchoolStage.JUNIOR, "371522001000"),
]
COUNTY_FIRST_SCHOOL_CAMPUSES = (("莘州校区", "371522003000"), ("东鲁校区", "371522004000"))

STAGE_MIX = [(SchoolStage.PRIMARY, 60), (SchoolStage.JUNIOR, 25), (SchoolStage.NINE_YEAR, 15)]
STAGE_WEIGHT = {SchoolStage.PRIMARY: 1.0, SchoolStage.JUNIOR: 1.4, SchoolStage.NINE_YEAR: 1.3}
LOCATION_WEIGHT = {Location.URBAN: 6.0, Location.RURAL: 1.0}
ROADS = [
    "光明路",
    "建设路",
    "东关",
    "西关",
    "龙山",
    "利民",
    "柳园",
    "湖南路",
    "兴华路",
    "育新街",
    "花园路",
    "昌润路",
    "水城",
    "运河",
    "古楼",
    "光岳",
    "东昌路",
    "站前",
    "振兴",
    "向阳",
    "香江",
    "卫育路",
    "鲁化",
    "文苑",
    "凤凰",
    "东城",
    "北顺",
    "徒骇河",
    "新华路",
    "东方",
    "华府",
    "嘉明",
    "金柱",
    "江北水城",
    "开发区",
    "铁塔",
]
NATURAL_SUFFIXES = ["庄", "屯", "集", "营", "寨", "楼", "店", "堂", "口", "洼"]
SUBJECTS = {
    SchoolStage.PRIMARY: {
        Subject.CHINESE: 30,
        Subject.MATHS: 25,
        Subject.ENGLISH: 9,
        Subject.MORALITY: 5,
        Subject.SCIENCE: 6,
        Subject.PE: 7,
        Subject.MUSIC: 5,
        Subject.ART: 5,
        Subject.IT: 3,
        Subject.OTHER: 5,
    },
    SchoolStage.JUNIOR: {
        Subject.CHINESE: 15,
        Subject.MATHS: 15,
        Subject.ENGLISH: 14,
        Subject.MORALITY: 7,
        Subject.PHYSICS: 8,
        Subject.CHEMISTRY: 6,
        Subject.BIOLOGY: 6,
        Subject.HISTORY: 6,
        Subject.GEOGRAPHY: 6,
        Subject.PE: 6,
        Subject.MUSIC: 3,
        Subject.ART: 3,
        Subject.IT: 3,
        Subject.OTHER: 2,
    },
}
SUBJECTS[SchoolStage.NINE_YEAR] = {
    s: SUBJECTS[SchoolStage.PRIMARY].get(s, 0) + SUBJECTS[SchoolStage.JUNIOR].get(s, 0) for s in Subject.values
}
HEAD_TEACHER_SUBJECTS = {Subject.CHINESE, Subject.MATHS, Subject.ENGLISH}


# --- plans (everything is decided in memory first, then written in a few bulk inserts) -----------


@dataclass
class PersonPlan:
    name: str
    sex: str
    birth: dt.date
    area: Area
    regions: list[str]
    person: Person | None = None  # an existing directory person, or the one created


@dataclass
class ClassPlan:
    grade: int
    number: int
    size: int
    students: list[PersonPlan] = field(default_factory=list)
    head: int | None = None  # index into the school's teachers
    cleared: bool = False
    row: SchoolClass | None = None


@dataclass
class SchoolPlan:
    name: str
    stage: str
    location: str
    area: Area
    county: str
    short_name: str = ""
    campuses: tuple[tuple[str, Area], ...] = ()
    weight: float = 1.0
    budget: int = 0
    classes: list[ClassPlan] = field(default_factory=list)
    teachers: list[dict[str, Any]] = field(default_factory=list)
    row: School | None = None

    @property
    def grades(self) -> list[int]:
        first, last = STAGE_GRADES[SchoolStage(self.stage)]
        return list(range(first, last + 1))

    @property
    def township_code(self) -> str:
        return self.area.code[:9] + "000"


class IdPool:
    """Synthetic resident IDs (sequence codes 996–999, never issued to anyone born after 1926).

    A birth day of a region holds two IDs per sex; when the preferred regions are full on that day
    another day inside ``window`` is drawn, so that a student's birth date stays in their cohort."""

    def __init__(self, taken: set[str], rng: random.Random) -> None:
        self.taken = taken
        self.rng = rng

    def make(self, plan: PersonPlan, window: tuple[dt.date, dt.date]) -> str:
        day = plan.birth
        span = (window[1] - window[0]).days
        for _attempt in range(400):
            for region in plan.regions:
                for serial in SYNTHETIC_SERIALS[Sex(plan.sex)]:
                    number = make_id_number(region, day, serial)
                    if number not in self.taken:
                        self.taken.add(number)
                        return number
            day = window[0] + dt.timedelta(days=self.rng.randint(0, span))
        raise RuntimeError("no free synthetic resident ID left in this birth window")


def cohort_window(grade: int, year: int = SCHOOL_YEAR) -> tuple[dt.date, dt.date]:
    """Birth dates of the children in ``grade`` of school year ``year`` (6 by 31 August at entry)."""
    start = year - 6 - grade
    return dt.date(start, 9, 1), dt.date(start + 1, 8, 31)


# --- build ---------------------------------------------------------------------------------------


def build(ctx: Any) -> None:
    if School.objects.filter(is_demo=True).exists():
        ctx.figures["education"] = "demo already present; nothing added"
        return
    started = time.perf_counter()
    rng = random.Random(f"{ctx.rng.random()}-education")
    district = ctx.area(DISTRICT_CODE)
    county = ctx.area(COUNTY_CODE)
    build_school_years([district, county])
    tree = _townships([district, county])
    names = NameMaker(rng)
    plans: list[SchoolPlan] = []
    plans += plan_district_schools(ctx, rng, tree, district)
    county_plans, county_groups = plan_county_schools(ctx, rng, tree, county)
    plans += county_plans
    for plan_spec in (DISTRICT, COUNTY):
        mine = [p for p in plans if p.county == plan_spec.code]
        plan_classes(ctx, rng, mine, plan_spec)
        plan_teachers(ctx, rng, names, tree, mine, plan_spec)
    pools = _school_age_pools(tree)
    plan_students(rng, names, tree, plans, pools)
    anomalies = plan_anomalies(rng, names, plans)
    write(rng, plans, anomalies)
    write_groups(plans, county_groups, {DISTRICT_CODE: district, COUNTY_CODE: county})
    figures(ctx, plans, anomalies)
    ctx.figures["education seconds"] = round(time.perf_counter() - started, 1)


def build_school_years(counties: list[Area]) -> None:
    existing = set(SchoolYear.objects.filter(area__in=counties).values_list("area_id", "year"))
    rows = [
        SchoolYear(area=c, year=y, starts_on=dt.date(y, 9, 1), ends_on=dt.date(y + 1, 7, 15), is_demo=True)
        for c in counties
        for y in HISTORY_YEARS
        if (c.pk, y) not in existing
    ]
    if rows:
        do_bulk_create(SchoolYear, rows, acting_user=None, comment="demo data")


@dataclass
class Tree:
    townships: dict[str, Area]
    villages: dict[str, list[Area]]  # by township code

    def urban(self, county_code: str) -> list[Area]:
        return [
            t for c, t in sorted(self.townships.items()) if c[:6] == county_code[:6] and t.kind == AreaKind.SUBDISTRICT
        ]

    def rural(self, county_code: str) -> list[Area]:
        return [
            t for c, t in sorted(self.townships.items()) if c[:6] == county_code[:6] and t.kind != AreaKind.SUBDISTRICT
        ]

    def place(self, rng: random.Random, township: Area, *, urban: bool) -> Area:
        """A village/community of the township for a school (communities first in the urban areas)."""
        villages = self.villages[township.code] or [township]
        communities = [v for v in villages if v.kind == AreaKind.COMMUNITY]
        return rng.choice(communities if urban and communities else villages)


def _townships(counties: list[Area]) -> Tree:
    prefixes = [c.code[:6] for c in counties]
    areas = Area.objects.filter(level__in=[AreaLevel.TOWNSHIP, AreaLevel.VILLAGE]).order_by("code")
    townships: dict[str, Area] = {}
    villages: dict[str, list[Area]] = defaultdict(list)
    for area in areas:
        if area.code[:6] not in prefixes:
            continue
        if area.level == AreaLevel.TOWNSHIP:
            townships[area.code] = area
        else:
            villages[area.code[:9] + "000"].append(area)
    return Tree(townships=townships, villages=villages)


def _location(township: Area) -> str:
    return Location.URBAN if township.kind == AreaKind.SUBDISTRICT else Location.RURAL


def plan_district_schools(ctx: Any, rng: random.Random, tree: Tree, district: Area) -> list[SchoolPlan]:
    plans = []
    for named in NAMED_DISTRICT:
        township = tree.townships[named.township]
        location = _location(township)
        plans.append(
            SchoolPlan(
                name=named.name,
                stage=named.stage,
                location=location,
                area=tree.place(rng, township, urban=location == Location.URBAN),
                county=DISTRICT_CODE,
                short_name=named.short_name,
                campuses=tuple(
                    (name, tree.place(rng, tree.townships[code], urban=True)) for name, code in named.campuses
                ),
                weight=named.weight,
            )
        )
    generated = max(DISTRICT.min_generated, scaled(DISTRICT.schools - len(NAMED_DISTRICT), ctx.scale))
    plans += _generated(rng, tree, district, generated, DISTRICT.urban_share, taken={p.name for p in plans})
    return plans


def _generated(
    rng: random.Random,
    tree: Tree,
    county: Area,
    count: int,
    urban_share: float,
    *,
    taken: set[str],
    stages: list[str] | None = None,
    location: str | None = None,
    first: list[tuple[str, str]] | None = None,
) -> list[SchoolPlan]:
    """``count`` schools of every stage on both sides (a small count still has one of each kind,
    ``first`` the kinds to begin with)."""
    kinds = first or [(stage, loc) for loc in (Location.RURAL, Location.URBAN) for stage, _w in STAGE_MIX]
    if stages:
        kinds = [(s, loc) for s, loc in kinds if s in stages]
    if location:
        kinds = [(s, loc) for s, loc in kinds if loc == location]
    urban = tree.urban(county.code)
    rural = tree.rural(county.code)
    prefix = "聊城市东昌府区" if county.code == DISTRICT_CODE else county.name
    words = load_data("names.json")
    plans = []
    for index in range(count):
        if index < len(kinds):
            stage, loc = kinds[index]
        else:
            loc = location or (Location.URBAN if rng.random() < urban_share else Location.RURAL)
            pool = [(s, w) for s, w in STAGE_MIX if not stages or s in stages]
            stage = rng.choices([s for s, _ in pool], weights=[w for _, w in pool])[0]
        township = rng.choice(urban if loc == Location.URBAN else rural)
        name = _school_name(rng, words, prefix, township, stage, loc, taken)
        taken.add(name)
        plans.append(
            SchoolPlan(
                name=name,
                stage=stage,
                location=loc,
                area=tree.place(rng, township, urban=loc == Location.URBAN),
                county=county.code,
            )
        )
    return plans


def _school_name(
    rng: random.Random, words: dict[str, Any], prefix: str, township: Area, stage: str, loc: str, taken: set[str]
) -> str:
    kind = {SchoolStage.PRIMARY: "小学", SchoolStage.JUNIOR: "中学", SchoolStage.NINE_YEAR: "学校"}[SchoolStage(stage)]
    first = {SchoolStage.PRIMARY: "中心小学", SchoolStage.JUNIOR: "中学"}.get(SchoolStage(stage))
    if loc == Location.RURAL and first and f"{township.name}{first}" not in taken:
        return f"{township.name}{first}"
    for _attempt in range(200):
        if loc == Location.URBAN:
            name = f"{prefix}{rng.choice(ROADS)}{kind}"
        else:
            name = f"{township.name}{rng.choice(list(words['surnames']))}{rng.choice(NATURAL_SUFFIXES)}{kind}"
        if name not in taken:
            return name
    return f"{prefix}第{len(taken) + 1}{kind}"


def plan_county_schools(
    ctx: Any, rng: random.Random, tree: Tree, county: Area
) -> tuple[list[SchoolPlan], list[tuple[str, SchoolPlan, list[SchoolPlan]]]]:
    """莘县: the lead schools of its groups, their member schools (policy minimum to maximum) and a
    few schools in no group."""
    on = YEAR_STARTS
    low = int(get_policy("education.group_member_schools_min", area_path=county.path, on=on).value)
    high = int(get_policy("education.group_member_schools_max", area_path=county.path, on=on).value)
    groups_count = max(2, min(len(COUNTY_GROUPS), round(len(COUNTY_GROUPS) * ctx.scale * 2)))
    taken: set[str] = set()
    plans: list[SchoolPlan] = []
    groups = []
    for index, (group_name, lead_name, stage, code) in enumerate(COUNTY_GROUPS[:groups_count]):
        township = tree.townships[code]
        campuses: tuple[tuple[str, Area], ...] = ()
        if index == 0:
            campuses = tuple(
                (n, tree.place(rng, tree.townships[c], urban=True)) for n, c in COUNTY_FIRST_SCHOOL_CAMPUSES
            )
        lead = SchoolPlan(
            name=lead_name,
            stage=stage,
            location=Location.URBAN,
            area=tree.place(rng, township, urban=True),
            county=county.code,
            campuses=campuses,
            weight=2.0,
        )
        taken.add(lead_name)
        members_count = low if ctx.scale < 0.5 else min(high, low + (1 if index % 3 == 2 else 0))
        stages = [stage, SchoolStage.NINE_YEAR]
        members = _generated(rng, tree, county, members_count, 0.0, taken=taken, stages=stages, location=Location.RURAL)
        plans += [lead, *members]
        groups.append((group_name, lead, members))
    # the groups hold rural schools of both stages and urban lead schools; the others add the rest
    free = max(COUNTY.min_generated, scaled(COUNTY.schools, ctx.scale) - len(plans))
    first = [(SchoolStage.NINE_YEAR, Location.URBAN), (SchoolStage.PRIMARY, Location.RURAL)]
    plans += _generated(rng, tree, county, free, COUNTY.urban_share, taken=taken, first=first)
    return plans, groups


def plan_classes(ctx: Any, rng: random.Random, plans: list[SchoolPlan], spec: CountyPlan) -> None:
    """Each school's classes and sizes: the county's students split by school weight, urban classes
    of 42–53, rural ones as large as the village's children make them; none over the cap, several at
    it. At a small scale a school has classes in some of its grades only."""
    caps: dict[int, int] = {}
    for plan in plans:
        caps[id(plan)] = int(sizes.cap_policy(SchoolStub(plan.area), YEAR_STARTS).value)
    weights = [p.weight * STAGE_WEIGHT[SchoolStage(p.stage)] * LOCATION_WEIGHT[Location(p.location)] for p in plans]
    target = scaled(spec.students, ctx.scale)
    total = target
    for _round in range(2):  # a second round corrects what whole classes lost or gained
        for plan, budget in zip(plans, _allocate(total, weights), strict=True):
            plan.classes = _school_classes(rng, plan, budget, caps[id(plan)])
        realized = sum(c.size for p in plans for c in p.classes)
        if not realized or abs(realized - target) <= target * 0.02:
            break
        total = round(total * target / realized)
    urban_classes = [(p, c) for p in plans if p.location == Location.URBAN for c in p.classes]
    if urban_classes:
        at_cap = min(len(urban_classes), max(2, round(EXACTLY_AT_CAP_SHARE * len(urban_classes))))
        for plan, cls in rng.sample(urban_classes, at_cap):
            cls.size = caps[id(plan)]
    if spec.code == DISTRICT_CODE:
        history = [c for p in plans[: len(NAMED_DISTRICT)] if p.location == Location.URBAN for c in p.classes]
        for cls in rng.sample(history, min(len(history), CLEARED_HISTORY_CLASSES)):
            cls.cleared = True


def _school_classes(rng: random.Random, plan: SchoolPlan, budget: int, cap: int) -> list[ClassPlan]:
    """A rural grade is split into classes of at most the standard size (建标102-2002, a policy)."""
    plan.budget = budget
    key = "education.class_size.standard_primary" if plan.stage == SchoolStage.PRIMARY else STANDARD_JUNIOR
    standard = int(get_policy(key, area_path=plan.area.path, on=YEAR_STARTS).value)
    found: list[ClassPlan] = []
    urban = plan.location == Location.URBAN
    low = 30 if urban else 12
    grades = plan.grades
    per_grade = budget / len(grades)
    sizes_by_grade: dict[int, list[int]] = {}
    if per_grade < low:
        typical = sum(URBAN_CLASS_SIZES) / 2 if urban else RURAL_SMALL_CLASS
        picked = max(1, min(len(grades), round(budget / typical)))
        for i in range(picked):
            grade = grades[round(i * (len(grades) - 1) / max(1, picked - 1))] if picked > 1 else grades[0]
            sizes_by_grade[grade] = [min(cap - 1, max(low, budget // picked))]
    else:
        for grade in grades:
            total = per_grade * rng.uniform(0.9, 1.1)
            if urban:
                count = max(1, round(total / (sum(URBAN_CLASS_SIZES) / 2)))
                low_size, high_size = URBAN_CLASS_SIZES
                sizes_by_grade[grade] = [rng.randint(low_size, min(high_size, cap - 1)) for _ in range(count)]
            else:
                count = max(1, math.ceil(total / standard))
                each = total / count
                sizes_by_grade[grade] = [max(low, min(cap - 1, round(each + rng.uniform(-3, 3)))) for _ in range(count)]
    for grade in sorted(sizes_by_grade):
        for number, size in enumerate(sizes_by_grade[grade], start=1):
            found.append(ClassPlan(grade=grade, number=number, size=size))
    return found


def sizes_cap(plan: SchoolPlan) -> int:
    return int(sizes.cap_policy(SchoolStub(plan.area), YEAR_STARTS).value)


@dataclass
class SchoolStub:
    """What ``sizes.cap_policy`` reads of a school before the school is written."""

    area: Area


def plan_teachers(
    ctx: Any, rng: random.Random, names: NameMaker, tree: Tree, plans: list[SchoolPlan], spec: CountyPlan
) -> None:
    """The county's teachers split by the schools' classes; subjects by stage; hire dates carry the
    2017–2020 recruitment (E12) with its established/contract split."""
    total = scaled(spec.teachers, ctx.scale)
    weights = [len(p.classes) * 1.0 + 4 for p in plans]
    counts = [max(n, len(p.classes) + 1) for n, p in zip(_allocate(total, weights), plans, strict=True)]
    recruited, established = RECRUITED_2017_2020
    recruited_share = recruited / DISTRICT.teachers
    established_share = established / recruited
    for plan, count in zip(plans, counts, strict=True):
        subjects = SUBJECTS[SchoolStage(plan.stage)]
        homes = tree.villages[plan.township_code] or [plan.area]
        for index in range(count):
            draw = rng.random()
            if draw < recruited_share:
                hired_year = rng.randint(2017, 2020)
                employment = Employment.ESTABLISHED if rng.random() < established_share else Employment.CONTRACT
            elif draw < recruited_share + 0.15:
                hired_year = rng.randint(2021, 2026)
                employment = Employment.ESTABLISHED if rng.random() < 0.6 else Employment.CONTRACT
            else:
                hired_year = rng.randint(1988, 2016)
                employment = Employment.ESTABLISHED
            hired_on = dt.date(hired_year, 8, rng.randint(15, 31))
            age_at_hire = rng.randint(21, 26)
            birth = dt.date(hired_year - age_at_hire, rng.randint(1, 12), rng.randint(1, 28))
            if SCHOOL_YEAR - birth.year > 59:
                birth = birth.replace(year=SCHOOL_YEAR - 59)
            sex = Sex.FEMALE if rng.random() < 0.68 else Sex.MALE
            subject = Subject.CHINESE if index == 0 else rng.choices(list(subjects), weights=list(subjects.values()))[0]
            full_time = index == 0 or rng.random() >= PART_TIME_SHARE
            plan.teachers.append(
                {
                    "person": PersonPlan(
                        name=names.person(sex, birth.year),
                        sex=sex,
                        birth=birth,
                        area=rng.choice(homes),
                        regions=[plan.county[:6], *[r for r in LIAOCHENG_REGIONS if r != plan.county[:6]]],
                    ),
                    "subject": subject,
                    "is_full_time": full_time,
                    "employment": employment,
                    "hired_on": hired_on,
                    "is_backbone": full_time and SCHOOL_YEAR - hired_year >= 8 and rng.random() < 0.15,
                    "is_middle_manager": index == 0 or (full_time and rng.random() < 0.05),
                }
            )
        # head teachers: distinct full-time teachers, the core subjects first (the principal, index 0, is not one)
        order = sorted(
            range(1, len(plan.teachers)),
            key=lambda i: (
                not plan.teachers[i]["is_full_time"],
                plan.teachers[i]["subject"] not in HEAD_TEACHER_SUBJECTS,
                i,
            ),
        )
        for cls, teacher_index in zip(plan.classes, order, strict=False):
            cls.head = teacher_index


def _school_age_pools(tree: Tree) -> dict[tuple[str, int], list[Person]]:
    """The directory's people of the two counties by (township, grade of their cohort) in 2026."""
    oldest, _ = cohort_window(9)
    _, youngest = cohort_window(1)
    pools: dict[tuple[str, int], list[Person]] = defaultdict(list)
    village_ids = {v.pk: code for code, vs in tree.villages.items() for v in vs}
    persons = (
        Person.objects.filter(area_id__in=village_ids, birth_date__gte=oldest, birth_date__lte=youngest)
        .filter(student__isnull=True, teacher__isnull=True)
        .order_by("id")
    )
    for person in persons:
        assert person.birth_date is not None
        grade = SCHOOL_YEAR - 6 - person.birth_date.year + (0 if person.birth_date.month >= 9 else 1)
        pools[(village_ids[person.area_id], grade)].append(person)
    return pools


def plan_students(
    rng: random.Random,
    names: NameMaker,
    tree: Tree,
    plans: list[SchoolPlan],
    pools: dict[tuple[str, int], list[Person]],
) -> None:
    urban_homes = {p.county: [v for t in tree.urban(p.county) for v in tree.villages[t.code]] for p in plans}
    for plan in plans:
        home_region = plan.county[:6]
        others = [r for r in LIAOCHENG_REGIONS if r != home_region]
        homes = tree.villages[plan.township_code] or [plan.area]
        if plan.location == Location.URBAN:
            homes = urban_homes[plan.county] or homes
        for cls in plan.classes:
            pool = pools.get((plan.township_code, cls.grade), [])
            window = cohort_window(cls.grade)
            span = (window[1] - window[0]).days
            for _seat in range(cls.size):
                if pool:
                    person = pool.pop()
                    assert person.birth_date is not None
                    cls.students.append(
                        PersonPlan(person.name, person.sex, person.birth_date, person.area, [], person=person)
                    )
                    continue
                sex = rng.choice((Sex.MALE, Sex.FEMALE))
                birth = window[0] + dt.timedelta(days=rng.randint(0, span))
                regions = [home_region] if rng.random() < 0.85 else [rng.choice(others)]
                cls.students.append(
                    PersonPlan(
                        name=names.person(sex, birth.year),
                        sex=sex,
                        birth=birth,
                        area=rng.choice(homes),
                        regions=[*regions, *[r for r in LIAOCHENG_REGIONS if r not in regions]],
                    )
                )


@dataclass
class Anomalies:
    elsewhere: list[tuple[PersonPlan, SchoolPlan]] = field(default_factory=list)  # attending another school
    absent: list[PersonPlan] = field(default_factory=list)
    duplicates: list[tuple[PersonPlan, PersonPlan, SchoolPlan, ClassPlan]] = field(default_factory=list)


def plan_anomalies(rng: random.Random, names: NameMaker, plans: list[SchoolPlan]) -> Anomalies:
    """人籍分离: rural students found at an urban school of the stage; 空挂学籍: students found at no
    school; duplicates: a child registered a second time at another school under a second ID."""
    found = Anomalies()
    for county, counts in ANOMALIES.items():
        mine = [p for p in plans if p.county == county]
        rural = [(p, c) for p in mine if p.location == Location.RURAL for c in p.classes if c.students]
        urban = [p for p in mine if p.location == Location.URBAN]
        picked = rng.sample(rural, min(len(rural), counts["elsewhere"] + counts["absent"]))
        for _plan, cls in picked[: counts["elsewhere"]]:
            target = [p for p in urban if cls.grade in p.grades] or urban
            found.elsewhere.append((cls.students[0], rng.choice(target)))
        for _plan, cls in picked[counts["elsewhere"] :]:
            found.absent.append(cls.students[-1])
        for _index in range(counts["duplicate"]):
            plan, cls = rng.choice(rural)
            original = cls.students[len(cls.students) // 2]
            others = [
                (p, c)
                for p in mine
                if p is not plan
                for c in p.classes
                if c.grade == cls.grade and c.size < sizes_cap(p) - 5
            ]
            if not others:
                continue
            other_plan, other_class = rng.choice(others)
            twin = PersonPlan(
                name=original.name,
                sex=original.sex,
                birth=original.birth,
                area=original.area,
                regions=[r for r in LIAOCHENG_REGIONS if r != plan.county[:6]],
            )
            other_class.students.append(twin)
            other_class.size += 1
            found.duplicates.append((original, twin, other_plan, other_class))
    return found


# --- writes --------------------------------------------------------------------------------------


def write(rng: random.Random, plans: list[SchoolPlan], anomalies: Anomalies) -> None:
    ids = IdPool(set(Person.objects.values_list("id_number", flat=True)), rng)
    new_people: list[PersonPlan] = []
    for plan in plans:
        new_people += [t["person"] for t in plan.teachers]
        for cls in plan.classes:
            new_people += [s for s in cls.students if s.person is None]
    persons = []
    for person_plan in new_people:
        if person_plan.person is not None:
            continue
        wide = (person_plan.birth - dt.timedelta(days=180), person_plan.birth + dt.timedelta(days=180))
        window = wide if person_plan.birth.year < SCHOOL_YEAR - 16 else _cohort_of(person_plan.birth)
        id_number = ids.make(person_plan, window)
        person = Person(
            name=person_plan.name,
            id_number=id_number,
            area=person_plan.area,
            address=f"{person_plan.area.parent.name if person_plan.area.parent else ''}{person_plan.area.name}"
            f"{rng.randint(1, 200)}号",
            is_demo=True,
        )
        person_plan.person = person
        persons.append(person)
    validate_generated(persons)  # clean() derives sex and birth date from the ID
    do_bulk_create(Person, persons, acting_user=None, comment="demo data", validate=False)

    schools = []
    for plan in plans:
        plan.row = School(
            name=plan.name,
            short_name=plan.short_name,
            area=plan.area,
            stage=plan.stage,
            location=plan.location,
            address=f"{plan.area.parent.name if plan.area.parent else ''}{plan.area.name}",
            principal=plan.teachers[0]["person"].name,
            is_demo=True,
        )
        schools.append(plan.row)
    _clean(schools, "area", "unit")
    do_bulk_create(School, schools, acting_user=None, comment="demo data", validate=False)
    campuses = [
        Campus(school=plan.row, name=name, area=area, is_main=index == 0, is_demo=True)
        for plan in plans
        for index, (name, area) in enumerate(plan.campuses)
    ]
    _clean(campuses, "school", "area")
    do_bulk_create(Campus, campuses, acting_user=None, comment="demo data", validate=False)

    teachers: list[list[Teacher]] = []
    for plan in plans:
        assert plan.row is not None
        rows = [
            Teacher(
                person=t["person"].person,
                school=plan.row,
                area=plan.area,
                subject=t["subject"],
                is_full_time=t["is_full_time"],
                employment=t["employment"],
                hired_on=t["hired_on"],
                is_backbone=t["is_backbone"],
                is_middle_manager=t["is_middle_manager"],
                is_demo=True,
            )
            for t in plan.teachers
        ]
        teachers.append(rows)
    flat_teachers = [t for rows in teachers for t in rows]
    _clean(flat_teachers, "person", "school", "area")
    do_bulk_create(Teacher, flat_teachers, acting_user=None, comment="demo data", validate=False)

    classes = []
    for plan, rows in zip(plans, teachers, strict=True):
        for cls in plan.classes:
            cls.row = SchoolClass(
                school=plan.row,
                area=plan.area,
                year=SCHOOL_YEAR,
                grade=cls.grade,
                number=cls.number,
                head_teacher=rows[cls.head] if cls.head is not None else None,
                cleared_on=ELIMINATED_ON if cls.cleared else None,
                is_demo=True,
            )
            classes.append(cls.row)
    _clean(classes, "school", "area", "head_teacher")
    do_bulk_create(SchoolClass, classes, acting_user=None, comment="demo data", validate=False)

    elsewhere = {id(p): school for p, school in anomalies.elsewhere}
    absent = {id(p) for p in anomalies.absent}
    students: list[Student] = []
    enrollments: list[Enrollment] = []
    for plan in plans:
        entry = plan.grades[0]
        for cls in plan.classes:
            for student_plan in cls.students:
                person = student_plan.person
                assert person is not None
                attending = elsewhere.get(id(student_plan), plan)
                is_absent = id(student_plan) in absent
                student = Student(
                    person=person,
                    student_number=f"G{person.id_number}",
                    area=plan.area,
                    attending_school=None if is_absent else attending.row,
                    attendance_status=AttendanceStatus.ABSENT if is_absent else AttendanceStatus.ATTENDING,
                    attendance_checked_on=ATTENDANCE_CHECKED,
                    is_registered_poor=rng.random() < REGISTERED_POOR_SHARE[Location(plan.location)],
                    is_demo=True,
                )
                students.append(student)
                enrollments.append(
                    Enrollment(
                        student=student,
                        school=plan.row,
                        school_class=cls.row,
                        area=plan.area,
                        started_on=YEAR_STARTS,
                        reason=EnrollmentReason.ADMISSION if cls.grade == entry else EnrollmentReason.PROMOTION,
                        is_demo=True,
                    )
                )
    _clean(students, "person", "area", "attending_school")
    do_bulk_create(Student, students, acting_user=None, comment="demo data", validate=False)
    _clean(enrollments, "student", "school", "school_class", "area")
    do_bulk_create(Enrollment, enrollments, acting_user=None, comment="demo data", validate=False)


def _cohort_of(birth: dt.date) -> tuple[dt.date, dt.date]:
    start = birth.year if birth.month >= 9 else birth.year - 1
    return dt.date(start, 9, 1), dt.date(start + 1, 8, 31)


def _clean(rows: list[Any], *foreign_keys: str) -> None:
    """``full_clean`` of generated rows minus the per-row lookups of their (just written) foreign keys."""
    for row in rows:
        row.full_clean(exclude=list(foreign_keys), validate_unique=False, validate_constraints=False)


def write_groups(
    plans: list[SchoolPlan],
    county_groups: list[tuple[str, SchoolPlan, list[SchoolPlan]]],
    counties: dict[str, Area],
) -> None:
    by_name = {p.name: p for p in plans if p.county == DISTRICT_CODE}
    specs: list[tuple[str, str, SchoolPlan, list[SchoolPlan], dt.date, Any]] = []
    for group_name, lead_name, member_names in CITY_GROUPS:
        city_members = [by_name[m] for m in member_names]
        specs.append((group_name, GroupKind.TIGHT, by_name[lead_name], city_members, CITY_GROUPS_FORMED, None))
    for group_name, lead, members in county_groups:
        specs.append(
            (group_name, GroupKind.ONE_PLUS_X, lead, members, COUNTY_GROUPS_FORMED, lead.teachers[0]["person"].person)
        )
    groups = []
    for group_name, kind, lead, _members, formed, head in specs:
        assert lead.row is not None
        county_area = counties[lead.county]
        groups.append(
            EducationGroup(
                name=group_name,
                kind=kind,
                area=county_area,
                lead_school=lead.row,
                stage=lead.stage,
                formed_on=formed,
                head_principal=head,
                notes="总校长负责制" if head else "",
                is_demo=True,
            )
        )
    _clean(groups, "area", "lead_school", "head_principal")
    do_bulk_create(EducationGroup, groups, acting_user=None, comment="demo data", validate=False)
    memberships = []
    for group, (_name, _kind, lead, members, formed, _head) in zip(groups, specs, strict=True):
        roles: list[tuple[str, SchoolPlan]] = [(MemberRole.LEAD, lead), *((MemberRole.MEMBER, m) for m in members)]
        for role, school in roles:
            assert school.row is not None
            memberships.append(
                GroupMembership(
                    group=group, school=school.row, area=school.area, role=role, joined_on=formed, is_demo=True
                )
            )
    _clean(memberships, "group", "school", "area")
    do_bulk_create(GroupMembership, memberships, acting_user=None, comment="demo data", validate=False)


def figures(ctx: Any, plans: list[SchoolPlan], anomalies: Anomalies) -> None:
    for code, label in ((DISTRICT_CODE, "东昌府区"), (COUNTY_CODE, "莘县")):
        mine = [p for p in plans if p.county == code]
        classes = [c for p in mine for c in p.classes]
        caps = {id(p): int(sizes.cap_policy(p.row, YEAR_STARTS).value) for p in mine}
        ctx.figures[f"{label} schools"] = len(mine)
        ctx.figures[f"{label} teachers"] = sum(len(p.teachers) for p in mine)
        ctx.figures[f"{label} classes"] = len(classes)
        ctx.figures[f"{label} students"] = sum(c.size for c in classes)
        ctx.figures[f"{label} classes at the cap"] = sum(1 for p in mine for c in p.classes if c.size == caps[id(p)])
        ctx.figures[f"{label} classes over the cap"] = sum(1 for p in mine for c in p.classes if c.size > caps[id(p)])
    ctx.figures["education groups"] = EducationGroup.objects.filter(is_demo=True).count()
    ctx.figures["registered elsewhere (人籍分离)"] = len(anomalies.elsewhere)
    ctx.figures["registered, not attending (空挂学籍)"] = len(anomalies.absent)
    ctx.figures["registered twice"] = len(anomalies.duplicates)
