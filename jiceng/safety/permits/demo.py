"""Hazardous work in the demo city (危险作业报告, catalogue S10; 特殊作业票, GB 30871-2022).

The seed article reports 6,218 hazardous operations on file. At scale 1.0 the demo writes that
many reports (scaled with ``ctx.scale``) over the past year, at the enterprises with a
hazardous-chemical role, each with the permit that covered it — levels computed by the rules,
windows inside their validity policies — except:

- a handful of reported operations that started without a permit (→ ``safety.work_without_permit``);
- several permits active right now and a few approved for later today (the live board);
- one permit whose window ended two hours ago and is still open (→ ``safety.permit_expired_open``).

The alerts come from running the scan itself at the end.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import scaled
from jiceng.directory.models import Enterprise
from jiceng.safety.models import SafetyProfile
from jiceng.safety.permits import rules
from jiceng.safety.permits.choices import BlindPlateMode, HotWorkLevel, PermitState, WorkType
from jiceng.safety.permits.models import OperationReport, WorkPermit
from jiceng.safety.permits.services import scan_permits

OPERATIONS_ON_FILE = 6218  # S10: 「全面掌握全市6218项危险作业重点分布」
WITHOUT_PERMIT = 5  # reported work that started without one
ACTIVE_NOW = 8
APPROVED_LATER = 4
EXPIRED_OPEN = 1
WORK_TYPES = [  # share of the reported operations
    (WorkType.HOT_WORK, 30),
    (WorkType.HEIGHT, 20),
    (WorkType.CONFINED_SPACE, 12),
    (WorkType.TEMPORARY_POWER, 12),
    (WorkType.LIFTING, 10),
    (WorkType.BLIND_PLATE, 8),
    (WorkType.EXCAVATION, 5),
    (WorkType.ROAD_CLOSURE, 3),
]
HOURS = {  # how long the demo's work of each type lasts
    WorkType.HOT_WORK: (2, 6),
    WorkType.HEIGHT: (3, 30),
    WorkType.CONFINED_SPACE: (2, 8),
    WorkType.TEMPORARY_POWER: (24, 240),
    WorkType.LIFTING: (2, 6),
    WorkType.BLIND_PLATE: (1, 4),
    WorkType.EXCAVATION: (4, 10),
    WorkType.ROAD_CLOSURE: (3, 8),
}
PLACES = {
    WorkType.HOT_WORK: ["1#罐区管线", "合成车间反应釜平台", "维修车间", "装卸栈台", "循环水泵房"],
    WorkType.HEIGHT: ["精馏塔平台", "管廊", "储罐顶部", "厂房屋面", "脱硫塔"],
    WorkType.CONFINED_SPACE: ["2#储罐", "废水池", "反应釜", "地下管沟", "换热器壳程"],
    WorkType.TEMPORARY_POWER: ["检修现场", "新建仓库工地", "罐区围堰", "包装车间"],
    WorkType.LIFTING: ["设备安装区", "装置区东侧", "仓库装卸区"],
    WorkType.BLIND_PLATE: ["物料进料管线", "蒸汽管线", "氮气管线", "火炬总管"],
    WorkType.EXCAVATION: ["厂区东路地下管网", "消防管线改造点", "围墙基础"],
    WorkType.ROAD_CLOSURE: ["厂区主干道", "罐区消防通道", "装卸区道路"],
}
CONTENT = {
    WorkType.HOT_WORK: "管线焊接及切割",
    WorkType.HEIGHT: "保温层拆装及仪表检修",
    WorkType.CONFINED_SPACE: "清罐及内部检验",
    WorkType.TEMPORARY_POWER: "检修用临时电源接引",
    WorkType.LIFTING: "设备吊装就位",
    WorkType.BLIND_PLATE: "检修隔离加盲板",
    WorkType.EXCAVATION: "管线开挖维修",
    WorkType.ROAD_CLOSURE: "道路开挖占道施工",
}
NAMES = ["张伟", "王磊", "李强", "刘洋", "陈杰", "杨勇", "赵军", "黄涛", "周斌", "吴刚", "孙浩", "马超"]


def build(ctx: Any) -> None:
    if OperationReport.objects.filter(is_demo=True).exists():
        ctx.figures["hazardous operations"] = "demo already present; nothing added"
        return
    enterprises = list(
        SafetyProfile.objects.filter(is_demo=True)
        .exclude(chemical_role="")
        .order_by("id")
        .values_list("enterprise", flat=True)
    )
    if not enterprises:
        return
    by_id = {e.pk: e for e in Enterprise.objects.filter(pk__in=enterprises).select_related("area")}
    pool = [by_id[pk] for pk in enterprises]
    rng = random.Random(f"{ctx.rng.random()}-safety-permits")
    now = timezone.now().replace(second=0, microsecond=0)
    total = scaled(OPERATIONS_ON_FILE, ctx.scale)
    special = {"without": WITHOUT_PERMIT, "expired": EXPIRED_OPEN, "active": ACTIVE_NOW, "later": APPROVED_LATER}
    left = total
    for key, count in special.items():  # a tiny scale keeps the special cases first, within the total
        special[key] = min(count, left)
        left -= special[key]
    past = left
    reports: list[OperationReport] = []
    permits: list[WorkPermit] = []
    for _index in range(past):
        start = _past_start(rng, now)
        _job(rng, pool, start, reports, permits, state=PermitState.CLOSED)
    for _index in range(special["active"]):
        start = now - dt.timedelta(minutes=rng.randint(20, 90))
        _job(rng, pool, start, reports, permits, state=PermitState.ACTIVE, min_hours=4)
    for _index in range(special["later"]):
        _job(rng, pool, now + dt.timedelta(hours=rng.randint(1, 6)), reports, permits, state=PermitState.APPROVED)
    for _index in range(special["expired"]):
        _job(rng, pool, now, reports, permits, state=PermitState.ACTIVE, expired_at=now - dt.timedelta(hours=2))
    for _index in range(special["without"]):
        start = now - dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 5))
        _job(rng, pool, start, reports, permits, state=None)
    for row in (*reports, *permits):  # the enterprises and areas come from the database: skip 12,000 lookups
        row.full_clean(exclude=["enterprise", "area"], validate_unique=False, validate_constraints=False)
    do_bulk_create(OperationReport, reports, acting_user=None, comment="demo data", validate=False)
    do_bulk_create(WorkPermit, permits, acting_user=None, comment="demo data", validate=False)
    found = scan_permits(now)
    ctx.figures["hazardous operations reported"] = len(reports)
    ctx.figures["work permits"] = len(permits)
    ctx.figures["permit alerts"] = found["expired"] + found["uncovered"]


def _past_start(rng: random.Random, now: dt.datetime) -> dt.datetime:
    """A working-hours start in the past year (Asia/Shanghai), at least a day before now."""
    day = timezone.localtime(now).date() - dt.timedelta(days=rng.randint(2, 360))
    local = dt.datetime.combine(day, dt.time(rng.randint(7, 15), rng.choice((0, 15, 30, 45))))
    return timezone.make_aware(local)


def _choose_type(rng: random.Random) -> WorkType:
    return rng.choices([t for t, _w in WORK_TYPES], weights=[w for _t, w in WORK_TYPES])[0]


def _job(
    rng: random.Random,
    pool: list[Any],
    start: dt.datetime,
    reports: list[OperationReport],
    permits: list[WorkPermit],
    *,
    state: str | None,
    expired_at: dt.datetime | None = None,
    min_hours: int = 0,
) -> None:
    """One reported operation and (unless ``state`` is None) the permit that covered it: valid from
    half an hour before the work, for as long as the work lasts, never longer than its policy."""
    enterprise = rng.choice(pool)
    work_type = _choose_type(rng)
    values: dict[str, Any] = {
        "enterprise": enterprise,
        "area": enterprise.area,
        "work_type": work_type,
        "location": rng.choice(PLACES[work_type]),
        "content": CONTENT[work_type],
        "workers": rng.randint(2, 12),
        "applicant": rng.choice(NAMES),
        "guardian": rng.choice(NAMES),
        "is_demo": True,
    }
    if work_type == WorkType.HOT_WORK:
        values["hot_work_level"] = rng.choices(list(HotWorkLevel.values), weights=[5, 25, 70])[0]
    elif work_type == WorkType.HEIGHT:
        values["height_m"] = Decimal(str(rng.choice([2, 3, 4.5, 5, 6, 8, 12, 15, 18, 24, 30, 36, 45])))
    elif work_type == WorkType.LIFTING:
        values["load_t"] = Decimal(rng.choice([3, 8, 12, 20, 35, 40, 60, 80, 100, 120, 150]))
    elif work_type == WorkType.BLIND_PLATE:
        values["blind_plate_mode"] = rng.choice(BlindPlateMode.values)
    elif work_type == WorkType.TEMPORARY_POWER:
        values["is_special_power"] = rng.random() < 0.1
    low, high = HOURS[work_type]
    hours = max(rng.randint(low, high), min_hours)
    defaults = {"is_special_power": False, "hot_work_level": "", "height_m": None, "load_t": None}
    probe = SimpleNamespace(**{**defaults, **values, "valid_from": start})  # what the rules read, cheaply
    values["level"] = rules.compute_level(probe)[0]
    window = dt.timedelta(hours=hours, minutes=30)
    longest = rules.longest_window(probe)
    if longest is not None:
        window = min(window, longest)
    if expired_at is not None:
        values["valid_until"] = expired_at
        values["valid_from"] = expired_at - window
        start = values["valid_from"] + dt.timedelta(minutes=30)
    else:
        values["valid_from"] = start - dt.timedelta(minutes=30)
        values["valid_until"] = values["valid_from"] + window
    ends = max(min(start + dt.timedelta(hours=hours), values["valid_until"]), start + dt.timedelta(minutes=30))
    reports.append(
        OperationReport(
            enterprise=enterprise,
            area=enterprise.area,
            work_type=work_type,
            location=values["location"],
            starts_at=start,
            ends_at=ends,
            workers=values["workers"],
            description=values["content"],
            is_demo=True,
        )
    )
    if state is None:
        return
    values["approved_at"] = values["valid_from"] - dt.timedelta(minutes=20)
    if state in (PermitState.ACTIVE, PermitState.CLOSED):
        values["started_at"] = start
    if state == PermitState.CLOSED:
        values["closed_at"] = ends
    permits.append(WorkPermit(**values, state=state))
