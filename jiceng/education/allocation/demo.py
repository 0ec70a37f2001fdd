"""Catchment allocation in the demo district 东昌府区 (371502, seed 003; runs after the base education demo).

- Catchment zones for grade 1 (primary and nine-year schools) and grade 7 (junior and nine-year
  schools) covering every village and community of the district: in an urban subdistrict one
  multi-school zone (多校划片, residents drawn by lottery); in a rural town, single-school zones
  (单校划片), the town's villages dealt out over its schools in code order. A township with no school of
  the grade (small scales) joins the zones of the nearest township, by code, that has one.
- Enrolment plans for school year 2026, grades 1 and 7: planned classes so that each school's seats
  cover its zone's residents in the cohort — except the two most popular urban primary schools,
  one class short (over-subscribed: the 大班额 pressure that 分流 answers).
- The 2026 grade-1 cohort (≈ 5,000 × scale applicants, home villages weighted to the urban
  communities; each names its zone's schools, and some urban families put a popular school first),
  allocated in ``open`` mode (开放式分流: the surplus to the nearest school with seats left) with a
  recorded seed and published; one what-if run (a class more at each popular school).
- Intake records of seed E13 (demo_data/intake.json: rural middle-school intake 1,445 in 2018 →
  3,696 in 2020; 郑家镇中学, 大张中学, 张炉集中学, 八刘中学 with their figures). 大张, 张炉集 and 八刘
  are not townships of our area tree: the demo creates those three schools in rural towns of the
  district (梁水镇, 许营镇, 顾官屯镇). The district total less the four named schools is spread over
  the demo's other rural junior and nine-year schools (exact totals at any scale).
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import NameMaker, scaled
from jiceng.directory.models import Area, AreaLevel, Sex
from jiceng.education.allocation import services
from jiceng.education.allocation.choices import RunMode, ZoneKind
from jiceng.education.allocation.models import AllocationRun, CatchmentZone, EnrolmentPlan, IntakeRecord
from jiceng.education.choices import Location, SchoolStage
from jiceng.education.models import School
from jiceng.education.sizes import cap_policy

DISTRICT_CODE = "371502000000"
YEAR = 2026
COHORT_AT_SCALE_1 = 5_000  # grade-1 applicants of the district (about the district's yearly primary intake)
URBAN_WEIGHT = 3.0  # an urban community sends this many applicants per rural village
POPULAR_SHARE = 0.3  # urban families who put a popular school first
POPULAR_SCHOOLS = 2
POLICY_CARE_SHARE = 0.01  # applicants in a policy-care category (demo share)
LOTTERY_SEED = 20260615
DATA = Path(__file__).resolve().parent / "demo_data" / "intake.json"
STAGES = {
    1: (SchoolStage.PRIMARY, SchoolStage.NINE_YEAR),
    7: (SchoolStage.JUNIOR, SchoolStage.NINE_YEAR),
}


def build(ctx: Any) -> None:
    if AllocationRun.objects.filter(is_demo=True).exists():
        ctx.figures["allocation"] = "demo already present; nothing added"
        return
    try:
        district = ctx.area(DISTRICT_CODE)
    except Area.DoesNotExist:
        ctx.figures["allocation"] = "no 东昌府区 in the area tree; nothing added"
        return
    rng = random.Random(f"{ctx.rng.random()}-allocation")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    build_named_schools(district, data)
    zones = {grade: build_zones(district, grade) for grade in STAGES}
    cohort = make_cohort(rng, district, zones[1], ctx.scale)
    build_plans(district, zones, cohort)
    run = services.do_create_run(
        area=district,
        year=YEAR,
        grade=1,
        applicants=cohort,
        acting_user=None,
        seed=LOTTERY_SEED,
        mode=RunMode.OPEN,
        name="东昌府区2026年一年级招生派位",
        notes="演示：学区内居民优先，多校划片随机派位，超出计划的学生开放式分流到就近有空余学位的学校。",
        is_demo=True,
    )
    run = services.do_publish_run(run, acting_user=None, comment="演示：公布派位结果")
    popular = _popular_schools(district, zones[1])
    extra = {str(s.pk): run.capacity_of(s.pk) + _cap(s) for s in popular}
    what_if = services.do_create_what_if(
        run, acting_user=None, capacity_overrides=extra, name="假设：两所热点小学各增加一个班", is_demo=True
    )
    build_intake(district, data)
    ctx.figures["allocation zones"] = CatchmentZone.objects.filter(is_demo=True).count()
    ctx.figures["allocation plans"] = EnrolmentPlan.objects.filter(is_demo=True).count()
    ctx.figures["allocation applicants (2026 grade 1)"] = run.applicant_count
    ctx.figures["allocation placed / unplaced"] = f"{run.placed_count} / {run.unplaced_count}"
    ctx.figures["allocation matching ms"] = run.elapsed_ms
    ctx.figures["allocation what-if moves"] = len(services.compare_runs(run, what_if))
    ctx.figures["intake records"] = IntakeRecord.objects.filter(is_demo=True).count()
    for year, total in data["rural_total"].items():
        stored = sum(IntakeRecord.objects.filter(is_demo=True, year=int(year)).values_list("admitted", flat=True))
        ctx.figures[f"rural middle-school intake {year}"] = f"{stored} (seed: {total})"


def _cap(school: School) -> int:
    return int(cap_policy(school, services.school_year_start(school.area.path, YEAR)).value)


def _schools(district: Area, grade: int) -> list[School]:
    return list(
        School.objects.filter(area__path__startswith=district.path, stage__in=STAGES[grade])
        .select_related("area")
        .order_by("area__path", "name")
    )


def _township_of(area: Area, district: Area) -> str:
    """The township path of an area of the district (the area itself when it is one)."""
    parts = [p for p in area.path.split("/") if p]
    depth = len([p for p in district.path.split("/") if p])
    return "/".join(parts[: depth + 1]) + "/"


def build_named_schools(district: Area, data: dict[str, Any]) -> None:
    """The seed's rural middle schools missing from the base demo, in the towns ``intake.json`` names."""
    rows = []
    for entry in data["schools"]:
        if not entry.get("create") or School.objects.filter(name=entry["name"]).exists():
            continue
        town = Area.objects.get(code=entry["town"])
        village = Area.objects.filter(parent=town).order_by("code").first() or town
        rows.append(
            School(name=entry["name"], area=village, stage=SchoolStage.JUNIOR, location=Location.RURAL, is_demo=True)
        )
    if rows:
        do_bulk_create(School, rows, acting_user=None)


def build_zones(district: Area, grade: int) -> list[CatchmentZone]:
    """Zones of ``grade`` covering every village of the district (see the module docstring)."""
    by_township: dict[str, list[School]] = defaultdict(list)
    for school in _schools(district, grade):
        by_township[_township_of(school.area, district)].append(school)
    villages: dict[str, list[Area]] = defaultdict(list)
    for village in Area.objects.filter(path__startswith=district.path, level=AreaLevel.VILLAGE).order_by("code"):
        villages[_township_of(village, district)].append(village)
    townships = {a.path: a for a in Area.objects.filter(path__in=list(villages) + list(by_township))}
    label = "小学" if grade == 1 else "初中"
    if not by_township:
        return []
    # a township with no school of the grade (small scales) joins the zones of the nearest one that has
    borrowed: dict[str, list[Area]] = defaultdict(list)
    for path, homes in villages.items():
        if path not in by_township:
            code = int(townships[path].code)
            nearest = min(by_township, key=lambda p: (abs(int(townships[p].code) - code), p))
            borrowed[nearest] += homes
    made = []
    for path, schools in sorted(by_township.items()):
        township = townships[path]
        homes = villages.get(path, []) + borrowed.get(path, [])
        urban = schools[0].location == Location.URBAN
        if urban or len(schools) == 1:
            groups = [(schools, homes)]
        else:
            groups = [([s], homes[i :: len(schools)]) for i, s in enumerate(schools)]
        for number, (members, covered) in enumerate(groups, start=1):
            kind = ZoneKind.MULTI if len(members) > 1 else ZoneKind.SINGLE
            name = f"{township.name}{label}学区" if len(groups) == 1 else f"{township.name}{label}第{number}学区"
            zone = services.do_create_zone(
                data={
                    "name": name,
                    "area": district,
                    "grade": grade,
                    "kind": kind,
                    "schools": members,
                    "villages": covered,
                    "is_demo": True,
                },
                acting_user=None,
            )
            made.append(zone)
    return made


def _popular_schools(district: Area, zones: list[CatchmentZone]) -> list[School]:
    urban = [s for s in _schools(district, 1) if s.location == Location.URBAN and s.stage == SchoolStage.PRIMARY]
    return urban[:POPULAR_SCHOOLS]


def make_cohort(rng: random.Random, district: Area, zones: list[CatchmentZone], scale: float) -> list[dict[str, Any]]:
    """The 2026 grade-1 applicants: inline (name, home village, preferences)."""
    village_zones: dict[int, list[CatchmentZone]] = defaultdict(list)
    for zone in zones:
        for village in zone.villages.all():
            village_zones[village.pk].append(zone)
    homes = list(Area.objects.filter(pk__in=village_zones).select_related("parent").order_by("code"))
    if not homes:
        return []
    weights = [URBAN_WEIGHT if home.parent and home.parent.kind == "subdistrict" else 1.0 for home in homes]
    popular = _popular_schools(district, zones)
    limit = int(services.max_preferences_policy(district.path, services.school_year_start(district.path, YEAR)).value)
    names = NameMaker(rng)
    cohort = []
    for _ in range(scaled(COHORT_AT_SCALE_1, scale)):
        home = rng.choices(homes, weights=weights)[0]
        zone_schools = [s.pk for z in village_zones[home.pk] for s in z.schools.all()]
        rng.shuffle(zone_schools)  # families rank the schools of a multi-school zone in their own order
        preferences = list(dict.fromkeys(zone_schools))
        if popular and weights[homes.index(home)] > 1 and rng.random() < POPULAR_SHARE:
            preferences = [rng.choice(popular).pk, *[s for s in preferences if s not in {p.pk for p in popular}]]
        cohort.append(
            {
                "name": names.person(rng.choice(list(Sex)), YEAR - 6),
                "home_area": home.pk,
                "preferences": preferences[:limit],
                "is_policy_care": rng.random() < POLICY_CARE_SHARE,
            }
        )
    return cohort


def build_plans(district: Area, zones: dict[int, list[CatchmentZone]], cohort: list[dict[str, Any]]) -> None:
    """Plans for 2026 grades 1 and 7: enough classes for each school's share of its zone residents
    (grade 7 from the same cohort size), the popular schools one class short."""
    popular = {s.pk for s in _popular_schools(district, zones[1])}
    residents: dict[int, int] = defaultdict(int)
    for row in cohort:
        residents[row["home_area"]] += 1
    rows = []
    for grade, grade_zones in zones.items():
        for zone in grade_zones:
            members = list(zone.schools.all())
            people = sum(residents.get(v.pk, 0) for v in zone.villages.all())
            for school in members:
                cap = _cap(school)
                classes = max(1, math.ceil(people / len(members) / cap))
                if school.pk in popular and grade == 1:
                    classes = max(1, classes - 1)
                rows.append(
                    EnrolmentPlan(
                        school=school, area=school.area, year=YEAR, grade=grade, planned_classes=classes, is_demo=True
                    )
                )
    do_bulk_create(EnrolmentPlan, rows, acting_user=None)


def build_intake(district: Area, data: dict[str, Any]) -> None:
    """E13's figures: the four named schools, the rest of the district total over the other rural
    junior and nine-year schools (exact totals)."""
    grade = data["grade"]
    named = {entry["name"]: entry for entry in data["schools"]}
    schools = {s.name: s for s in School.objects.filter(name__in=named, area__path__startswith=district.path)}
    others = [s for s in _schools(district, grade) if s.location == Location.RURAL and s.name not in named]
    rows = []
    source = "种子文章 003_e97635a5b0d2ae75.txt（E13）"
    for name, entry in named.items():
        if name in schools:
            for year, admitted in entry["admitted"].items():
                rows.append(
                    IntakeRecord(
                        school=schools[name],
                        area=schools[name].area,
                        year=int(year),
                        grade=grade,
                        admitted=admitted,
                        source=source,
                        is_demo=True,
                    )
                )
    for year, total in data["rural_total"].items():
        rest = total - sum(entry["admitted"][year] for name, entry in named.items() if name in schools)
        if not others or rest <= 0:
            continue
        share, extra = divmod(rest, len(others))
        for i, school in enumerate(others):
            rows.append(
                IntakeRecord(
                    school=school,
                    area=school.area,
                    year=int(year),
                    grade=grade,
                    admitted=share + (1 if i < extra else 0),
                    source="演示：全区农村中学合计减去四所点名学校后平均分配",
                    is_demo=True,
                )
            )
    do_bulk_create(IntakeRecord, rows, acting_user=None)
