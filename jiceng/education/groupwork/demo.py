"""Group work of the demo: the 2026 plans, visits, research days, shared resources and fund of the
education groups of 莘县 (8 groups) and 东昌府区 (the 3 city groups), and 东昌府区's school-building
programme.

- Plans: every group has its 2026 unified plan (聊城实验中学's group the five areas “同部署、同考核、同
  落实”, the others the four “统一” items), each member school part-way through its items.
- Visits: the lead school's research team visits its member schools; 聊城实验中学's team goes to its
  向阳路校区 every month (seed 000: 「组织教研团队定期到向阳路校区开展教学诊断活动」).
- Research days: two or three per group, attendance out of the member schools' teachers.
- Resources: a few small generated files per group, shared through the service (SHA-256 kept) into
  the media folder of ``JICENG_VAR_DIR``.
- Fund: 莘县's groups get a 2026 allocation inside the county's range (policies) and a ledger of
  eligible payments below it; 东昌府区 sets no range, so its groups have no allocation in the demo.
- Building: 东昌府区's projects of the 2017–2020 programme add up to the reported totals
  (``seed/building_programme.json``: investment, land, floor area, project count) plus the schools
  still planned in 2020 (demo data: the real project list is not public).

Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Q
from django.utils import timezone

from jiceng.core.checklists.models import ChecklistTemplate, ItemResult, ItemStatus
from jiceng.core.checklists.services import do_mark_item
from jiceng.core.policies.services import get_policy
from jiceng.core.services import do_bulk_create
from jiceng.directory.models import Area
from jiceng.education.choices import Subject
from jiceng.education.groupwork import services
from jiceng.education.groupwork.choices import ProjectKind, ProjectStatus, ResearchDayKind, ResourceKind
from jiceng.education.groupwork.models import (
    BuildingProject,
    CourseResource,
    DiagnosisVisit,
    FundAllocation,
    FundSpending,
    GroupPlan,
    ResearchDay,
)
from jiceng.education.models import Campus, EducationGroup, School, Teacher

COUNTY_CODE = "371522000000"  # 莘县
DISTRICT_CODE = "371502000000"  # 东昌府区
YEAR = 2026
PROGRAMME = Path(__file__).resolve().parent / "seed" / "building_programme.json"
FIVE_AREAS_GROUP = "实验中学"  # 聊城实验中学教育集团 (seed 000): the five areas
DIAGNOSED_CAMPUS = "向阳路校区"
SUBJECTS = [Subject.CHINESE, Subject.MATHS, Subject.ENGLISH, Subject.PHYSICS, Subject.SCIENCE, Subject.MORALITY]
FINDINGS = [
    "课堂提问层次单一，学生主体地位体现不足",
    "作业设计缺少分层，统一进度下后进生跟进不够",
    "集体备课记录完整，但二次备课体现不明显",
    "实验教学开出率偏低，演示实验代替分组实验",
    "课堂评价语言单调，小组合作流于形式",
    "单元整体教学设计意识较强，课时目标落实较好",
]
FOLLOW_UPS = [
    "两周后复诊同一教师同一课型",
    "由总校学科组长带领开展一次同课异构",
    "成员校教研组提交整改后的教学设计",
    "",
]
TOPICS = [
    ("新课标下的大单元教学设计", ResearchDayKind.RESEARCH),
    ("青年教师课堂教学基本功培训", ResearchDayKind.TRAINING),
    ("集团校统一质量检测分析会", ResearchDayKind.RESEARCH),
    ("作业设计与“双减”落实研训", ResearchDayKind.BOTH),
]
RESOURCES = [
    (ResourceKind.LESSON_PLAN, "教学设计", ".txt"),
    (ResourceKind.COURSE, "精品课程纲要", ".md"),
    (ResourceKind.FEATURE_COURSE, "特色课程方案", ".pdf"),
    (ResourceKind.COURSEWARE, "课件说明", ".txt"),
]
SPENDING = [
    ("teacher_training", "骨干教师跟岗培训"),
    ("teaching_research", "集团联合教研活动"),
    ("teacher_exchange", "交流轮岗教师交通补助"),
    ("teacher_training", "青年教师基本功培训"),
    ("teaching_research", "学科专家团队课题研究"),
]


def build(ctx: Any) -> None:
    if GroupPlan.objects.filter(is_demo=True).exists() or BuildingProject.objects.filter(is_demo=True).exists():
        ctx.figures["group work"] = "demo already present; nothing added"
        return
    services.load_plan_templates()
    rng = random.Random(f"{ctx.rng.random()}-education-groupwork")
    today = timezone.localdate()
    last_day = min(today, dt.date(YEAR, 12, 20))
    county, district = _area(ctx, COUNTY_CODE), _area(ctx, DISTRICT_CODE)
    paths = [a.path for a in (county, district) if a is not None]
    groups = list(
        EducationGroup.objects.filter(is_demo=True)
        .filter(_under(paths, "area__path") | _under(paths, "lead_school__area__path"))
        .select_related("area", "lead_school__area")
        .order_by("area__path", "name")
    )
    for group in groups:
        members = services.member_schools(group, last_day)
        plan_for(group, members, rng, last_day)
        visits_for(group, members, rng, last_day)
        research_days_for(group, members, rng, last_day)
        resources_for(group, members, rng)
        if county is not None and group.area.path.startswith(county.path):
            fund_for(group, members, rng, last_day)
    if district is not None:
        building_programme(district, rng)
    figures(ctx, groups)


def _area(ctx: Any, code: str) -> Area | None:
    try:
        return ctx.area(code)  # type: ignore[no-any-return]
    except Area.DoesNotExist:
        return None


def _under(paths: list[str], lookup: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return last
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


# --- plans -------------------------------------------------------------------------------------
def plan_for(group: EducationGroup, members: list[School], rng: random.Random, last_day: dt.date) -> None:
    key = "education.group.five_same" if FIVE_AREAS_GROUP in group.name else services.DEFAULT_TEMPLATE
    template = ChecklistTemplate.objects.get(key=key)
    plan = services.do_create_group_plan(
        data={
            "group": group,
            "year": YEAR,
            "template": template,
            "due_on": dt.date(YEAR, 12, 31),
            "notes": "集团统一部署，成员校逐项落实并上传佐证材料。",
        },
        acting_user=None,
        is_demo=True,
    )
    results = (
        ItemResult.objects.filter(run__campaign=plan.checklist_campaign)
        .select_related("item__template", "run")
        .order_by("run_id", "item__order")
    )
    by_run: dict[int, list[ItemResult]] = {}
    for result in results:
        by_run.setdefault(result.run_id, []).append(result)
    for run_results in by_run.values():
        done = rng.randint(1, len(run_results))  # partial: some schools complete, most part-way
        if rng.random() < 0.35:
            done = max(1, done - 2)
        for result in run_results[:done]:
            do_mark_item(
                result,
                status=ItemStatus.DONE,
                evidence_note=f"{result.item.text}：{last_day.year}年工作台账、会议记录已归档",
                acting_user=None,
            )


# --- visits and research days ------------------------------------------------------------------
def visits_for(group: EducationGroup, members: list[School], rng: random.Random, last_day: dt.date) -> None:
    lead = group.lead_school
    campus = Campus.objects.filter(school=lead, name=DIAGNOSED_CAMPUS).first()
    rows: list[dict[str, Any]] = []
    team = "总校教研团队（语文、数学、英语学科组长）"
    if campus is not None:  # 聊城实验中学 → 向阳路校区, regularly: the second Tuesday of each term month
        for month in (3, 4, 5, 6, 9, 10, 11, 12):
            day = _second_tuesday(YEAR, month)
            if day <= last_day:
                rows.append({"visited_school": lead, "visited_campus": campus, "visited_on": day})
    others = [s for s in members if s.pk != lead.pk]
    for school in others:
        for _visit in range(rng.randint(1, 3)):
            rows.append({"visited_school": school, "visited_on": _day(rng, dt.date(YEAR, 3, 1), last_day)})
    for row in sorted(rows, key=lambda r: r["visited_on"]):
        follow_up = rng.choice(FOLLOW_UPS)
        due = row["visited_on"] + dt.timedelta(days=14) if follow_up else None
        services.do_record_visit(
            data={
                "group": group,
                "team_school": lead,
                "team": team,
                "subjects": ",".join(rng.sample(SUBJECTS[:3], rng.randint(1, 2))),
                "findings": rng.choice(FINDINGS),
                "follow_up": follow_up,
                "follow_up_due_on": due,
                "follow_up_done_on": due if due and due <= last_day and rng.random() < 0.7 else None,
                "is_demo": True,
                **row,
            },
            acting_user=None,
        )


def _second_tuesday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7)


def research_days_for(group: EducationGroup, members: list[School], rng: random.Random, last_day: dt.date) -> None:
    teachers = Teacher.objects.filter(school__in=members, left_on__isnull=True).count()
    for topic, kind in rng.sample(TOPICS, rng.randint(2, 3)):
        invited = max(12, int(teachers * rng.uniform(0.2, 0.45)))
        services.do_record_research_day(
            data={
                "group": group,
                "held_on": _day(rng, dt.date(YEAR, 3, 1), last_day),
                "kind": kind,
                "topic": topic,
                "host_school": rng.choice(members),
                "subjects": ",".join(rng.sample(SUBJECTS, 2)),
                "invited_count": invited,
                "attended_count": invited - rng.randint(0, max(1, invited // 12)),
                "notes": "集团校集中研训研修（签到表存档）",
                "is_demo": True,
            },
            acting_user=None,
        )


# --- shared resources ----------------------------------------------------------------------------
def _pdf(text: str) -> bytes:
    """A one-page PDF with one line of ASCII text (small, and opens in a viewer)."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def resources_for(group: EducationGroup, members: list[School], rng: random.Random) -> None:
    labels = dict(Subject.choices)
    for kind, label, suffix in rng.sample(RESOURCES, rng.randint(2, 4)):
        school = rng.choice(members)
        subject = rng.choice(SUBJECTS[:3])
        grade = rng.choice(list(school.grades))
        title = f"{school.short_name or school.name}{labels[subject]}{label}"
        if suffix == ".pdf":
            content = _pdf(f"{group.pk}-{school.pk}-{kind} demo course resource")
        else:
            content = (
                f"# {title}\n\n集团：{group.name}\n学校：{school.name}\n学科：{labels[subject]}\n"
                f"年级：{grade}\n\n一、教学目标\n二、重点难点\n三、教学过程\n四、作业设计（分层）\n"
            ).encode()
        services.do_share_resource(
            data={
                "group": group,
                "school": school,
                "kind": kind,
                "title": title[:200],
                "subject": subject,
                "grade": grade,
                "description": "集团内共享，供成员校教师参考使用。",
            },
            upload=SimpleUploadedFile(f"{label}{suffix}", content),
            acting_user=None,
            is_demo=True,
        )


# --- the fund ------------------------------------------------------------------------------------
def fund_for(group: EducationGroup, members: list[School], rng: random.Random, last_day: dt.date) -> None:
    approved = dt.date(YEAR, 2, 20)
    low = get_policy(services.FUND_MIN, area_path=group.area.path, on=approved).value
    high = get_policy(services.FUND_MAX, area_path=group.area.path, on=approved).value
    step = Decimal("10000")
    amount = (Decimal(rng.uniform(float(low), float(high))) / step).quantize(Decimal("1"), ROUND_DOWN) * step
    amount = min(max(amount, low), high)
    allocation = services.do_allocate_fund(
        data={
            "group": group,
            "year": YEAR,
            "amount_yuan": amount,
            "approved_on": approved,
            "document": f"莘教字〔{YEAR}〕{rng.randint(3, 30)}号",
            "notes": "教育集团办学专项资金",
            "is_demo": True,
        },
        acting_user=None,
    )
    uses, _rule = services.eligible_uses(group, approved)
    budget = amount * Decimal(str(round(rng.uniform(0.45, 0.85), 2)))
    payments = rng.randint(4, 7)
    for index in range(payments):
        use, text = rng.choice([s for s in SPENDING if s[0] in uses])
        share = (budget / payments * Decimal(str(round(rng.uniform(0.7, 1.3), 2)))).quantize(Decimal("0.01"))
        balance = amount - services.spent_total(allocation)
        if share <= 0 or share > balance:
            break
        services.do_record_spending(
            data={
                "allocation": allocation,
                "spent_on": _day(rng, dt.date(YEAR, 3, 1), last_day),
                "use": use,
                "amount_yuan": share,
                "description": text,
                "school": rng.choice(members),
                "voucher": f"JT{YEAR}{group.pk:02d}{index + 1:03d}",
                "is_demo": True,
            },
            acting_user=None,
        )


# --- the building programme ------------------------------------------------------------------------
def _split(total: Decimal, weights: list[float], quantum: Decimal) -> list[Decimal]:
    """``total`` split in proportion to ``weights``, in multiples of ``quantum``, adding up exactly."""
    units = int(total / quantum)
    raw = [w / sum(weights) * units for w in weights]
    parts = [int(r) for r in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[: units - sum(parts)]:
        parts[index] += 1
    return [Decimal(p) * quantum for p in parts]


def building_programme(district: Area, rng: random.Random) -> None:
    spec = json.loads(PROGRAMME.read_text(encoding="utf-8"))
    count = int(spec["projects"])
    first, last = int(spec["first_year"]), int(spec["last_year"])
    schools = list(School.objects.filter(area__path__startswith=district.path, is_demo=True).order_by("name"))
    urban = list(Area.objects.filter(parent=district, kind="subdistrict").order_by("code")) or [district]
    kinds = [ProjectKind.NEW_BUILD] * (count * 3 // 10) + [ProjectKind.EXTENSION] * (count * 5 // 10)
    kinds += [ProjectKind.RENOVATION] * (count - len(kinds))
    rng.shuffle(kinds)
    weights = {ProjectKind.NEW_BUILD: 6.0, ProjectKind.EXTENSION: 2.0, ProjectKind.RENOVATION: 0.6}
    money = _split(
        Decimal(spec["investment_yuan"]), [weights[k] * rng.uniform(0.5, 1.5) for k in kinds], Decimal("10000")
    )
    land_kinds = [i for i, k in enumerate(kinds) if k != ProjectKind.RENOVATION]
    land = _split(
        Decimal(spec["land_mu"]), [weights[kinds[i]] * rng.uniform(0.5, 1.5) for i in land_kinds], Decimal("0.5")
    )
    land_of = dict(zip(land_kinds, land, strict=True))
    floor = _split(Decimal(spec["floor_area_m2"]), [weights[k] * rng.uniform(0.5, 1.5) for k in kinds], Decimal("10"))
    rows = []
    new_number = 0
    for index, kind in enumerate(kinds):
        year = first + index * (last - first + 1) // count
        school = None if kind == ProjectKind.NEW_BUILD or not schools else rng.choice(schools)
        if school is None:
            new_number += 1
        area = school.area if school else rng.choice(urban)
        place = school.name if school else f"东昌府区城区新建学校（第{new_number}所）"
        label = ProjectKind(kind).label
        status = ProjectStatus.COMPLETED if year < last or rng.random() < 0.6 else ProjectStatus.UNDER_CONSTRUCTION
        rows.append(
            BuildingProject(
                name=f"{place}{label}工程",
                programme=spec["programme"],
                area=area,
                school=school,
                planned_school="" if school else place,
                kind=kind,
                status=status,
                planning_year=year,
                investment_yuan=money[index],
                land_mu=land_of.get(index) or None,
                floor_area_m2=floor[index],
                completed_on=dt.date(year + 1, 8, 25) if status == ProjectStatus.COMPLETED else None,
                notes="演示数据：合计与种子文章公布的总数一致，单个项目为生成数据。",
                is_demo=True,
            )
        )
    for number in range(1, int(spec["planned_schools_2020"]) + 1):
        rows.append(
            BuildingProject(
                name=f"{last}年规划城区学校（第{number}所）新建、改扩建工程",
                programme=spec["programme"],
                area=rng.choice(urban),
                planned_school=f"{last}年规划城区学校（第{number}所）",
                kind=ProjectKind.NEW_BUILD if number == 1 else ProjectKind.EXTENSION,
                status=ProjectStatus.PLANNED,
                planning_year=last,
                notes="「2020年再规划新建、改扩建城区学校3所」；投资与用地待定。",
                is_demo=True,
            )
        )
    for row in rows:
        row.full_clean(exclude=["area", "school"], validate_unique=False, validate_constraints=False)
    do_bulk_create(BuildingProject, rows, acting_user=None, comment="demo data", validate=False)


def figures(ctx: Any, groups: list[EducationGroup]) -> None:
    ctx.figures["group plans"] = GroupPlan.objects.filter(is_demo=True).count()
    ctx.figures["teaching-diagnosis visits"] = DiagnosisVisit.objects.filter(is_demo=True).count()
    ctx.figures["research days"] = ResearchDay.objects.filter(is_demo=True).count()
    ctx.figures["shared course resources"] = CourseResource.objects.filter(is_demo=True).count()
    ctx.figures["group fund allocations"] = FundAllocation.objects.filter(is_demo=True).count()
    ctx.figures["group fund payments"] = FundSpending.objects.filter(is_demo=True).count()
    projects = BuildingProject.objects.filter(is_demo=True).aggregate(n=Count("id"))
    ctx.figures["school-building projects"] = projects["n"]
    ctx.figures["groups with group work"] = len(groups)
