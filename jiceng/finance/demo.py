"""Budget performance monitoring in the demo county 莘县 (catalogue B01–B04, seed 001).

For the current calendar year the county's departments (the directory's demo units of 莘县, plus the
departments added here through the generic services) get ≈ 300 × scale budget projects across the
four budgets and the funding sources — about a fifth of them personnel or basic expenditure, which
the scope rules exclude — with budget additions and reductions, monthly disbursements and spending
dated up to 31 July, and a carry-over forecast on 31 July. On 31 July:

- several major county projects lag time progress by more than ``finance.key_monitoring_lag_pp``
  points, and one lags by exactly that many (a documented edge: not on the watch list);
- three incremental policies adopted during the year are on the watch list;
- each irregularity flag occurs: spending before a budget line exists, spending over budget,
  spending declared under a purpose the project does not allow, and assets above the allocation
  standard (demo standards of 莘县);
- departments mark some projects as key, by the seed's criteria.

Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from jiceng.core import services as core_services
from jiceng.core.policies.services import get_policy
from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import DEMO_COUNTY_CODE, scaled
from jiceng.directory.models import Unit
from jiceng.finance import flags as flag_rules
from jiceng.finance import rules, selectors
from jiceng.finance.choices import AdjustmentKind, BudgetType, ExpenditureKind, FlagKind, FundingSource, TransferLevel
from jiceng.finance.models import (
    AssetPurchase,
    AssetStandard,
    BudgetAdjustment,
    BudgetProject,
    CarryOverForecast,
    Disbursement,
    KeyMark,
    Spending,
)

PROJECTS_AT_SCALE_1 = 300
LAGGING_MAJORS = 6
OTHER_MAJORS = 10
INCREMENTAL = 3
OVER_BUDGET = 2
DIVERSIONS = 3
ASSETS_ABOVE = 3
EXTRA_DEPARTMENTS = ["交通运输局", "水利局", "文化和旅游局", "自然资源和规划局", "医疗保障局", "城市管理局"]
BUDGET_TYPES = [
    (BudgetType.GENERAL_PUBLIC, 70),
    (BudgetType.GOVERNMENT_FUND, 15),
    (BudgetType.STATE_CAPITAL, 7),
    (BudgetType.SOCIAL_SECURITY, 8),
]
SOURCES = [(FundingSource.COUNTY, 60), (FundingSource.TRANSFER, 25), (FundingSource.BOND, 8), (FundingSource.DIRECT, 7)]
LEVELS = [TransferLevel.CENTRAL, TransferLevel.PROVINCIAL, TransferLevel.CITY]
TOPICS = [
    "农村公路养护",
    "高标准农田建设",
    "义务教育薄弱环节改善",
    "城乡居民医保补助",
    "老旧小区改造",
    "农村饮水安全巩固提升",
    "乡村振兴衔接资金",
    "河道综合治理",
    "公共文化服务体系建设",
    "困难群众救助",
    "就业创业补贴",
    "森林防火能力提升",
    "畜禽粪污资源化利用",
    "城区供热管网改造",
    "数字政府建设",
    "基层卫生院设备购置",
    "公共法律服务",
    "安全生产专项整治",
    "农业社会化服务",
    "学前教育普惠发展",
]
PERSONNEL = ["在职人员工资福利", "离退休人员经费", "社会保障缴费"]
BASIC = ["日常公用经费", "办公运转经费", "机关物业服务"]
PURPOSES = ["502", "503", "505", "509"]
ASSET_STANDARDS = [  # demo allocation standards of 莘县 (unit prices in yuan)
    ("台式计算机", "5000.00"),
    ("便携式计算机", "7000.00"),
    ("A4黑白打印机", "1200.00"),
    ("空调（柜机）", "9000.00"),
]
STANDARD_SOURCE = "莘县县直机关通用办公设备配置标准（演示数据）"
ASSET_PRICES = {
    "台式计算机": "4600.00",
    "便携式计算机": "6500.00",
    "A4黑白打印机": "1100.00",
    "空调（柜机）": "8500.00",
}


def demo_year() -> int:
    return timezone.localdate().year


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, 12, 31) if month == 12 else dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def yuan(value: Any) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def departments(ctx: Any) -> list[Unit]:
    county = ctx.area(DEMO_COUNTY_CODE)
    for name in EXTRA_DEPARTMENTS:
        full = f"{county.name}{name}"
        if not Unit.objects.filter(area=county, name=full).exists():
            core_services.do_create(
                Unit, data={"name": full, "kind": "department", "area": county, "is_demo": True}, acting_user=None
            )
    return list(Unit.objects.filter(area=county, kind__in=["department", "government"]).order_by("name"))


def build(ctx: Any) -> None:
    year = demo_year()
    county = ctx.area(DEMO_COUNTY_CODE)
    projects = BudgetProject.objects.filter(is_demo=True, area=county, year=year)
    if not projects.exists():
        _build(ctx, county, year)
    figures(ctx, county, year)


def _spread(rng: random.Random, total: Decimal, months: int) -> list[Decimal]:
    """``total`` split over ``months`` months (random weights), summing exactly to ``total``."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(months)]
    parts = [yuan(total * Decimal(w / sum(weights))) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _build(ctx: Any, county: Any, year: int) -> None:
    rng = random.Random(ctx.rng.random())
    units = departments(ctx)
    july = dt.date(year, 7, 31)
    time_pct = selectors.time_progress(county.path, year, july)
    threshold = get_policy(rules.KEY_LAG_PP, area_path=county.path, on=july).value
    count = max(scaled(PROJECTS_AT_SCALE_1, ctx.scale), 60)
    rows: list[BudgetProject] = []
    names: set[tuple[int, str]] = set()
    for index in range(count):
        unit = units[index % len(units)]
        roll = rng.random()
        kind = (
            ExpenditureKind.PERSONNEL
            if roll < 0.1
            else ExpenditureKind.BASIC
            if roll < 0.2
            else ExpenditureKind.PROJECT
        )
        source = pick(rng, SOURCES)
        if kind == ExpenditureKind.PROJECT:
            label = f"{year}年{rng.choice(TOPICS)}项目"
        else:
            label = f"{year}年{rng.choice(PERSONNEL if kind == ExpenditureKind.PERSONNEL else BASIC)}"
            source = FundingSource.COUNTY
        name, n = label, 2
        while (unit.pk, name) in names:
            name, n = f"{label}（{n}）", n + 1
        names.add((unit.pk, name))
        rows.append(
            BudgetProject(
                name=name,
                code=f"{year}-{index + 1:04d}",
                unit=unit,
                area=unit.area,
                year=year,
                budget_type=pick(rng, BUDGET_TYPES) if kind == ExpenditureKind.PROJECT else BudgetType.GENERAL_PUBLIC,
                funding_source=source,
                transfer_level=rng.choice(LEVELS) if source == FundingSource.TRANSFER else "",
                expenditure_kind=kind,
                budget=yuan(rng.randint(20, 2000) * 10000),
                is_demo=True,
            )
        )
    project_rows = [
        p for p in rows if p.expenditure_kind == ExpenditureKind.PROJECT and p.funding_source != FundingSource.TRANSFER
    ]
    rng.shuffle(project_rows)
    lagging = project_rows[:LAGGING_MAJORS]
    edge = project_rows[LAGGING_MAJORS]
    majors = project_rows[LAGGING_MAJORS + 1 : LAGGING_MAJORS + 1 + OTHER_MAJORS]
    incremental = project_rows[LAGGING_MAJORS + 1 + OTHER_MAJORS :][:INCREMENTAL]
    no_line = project_rows[LAGGING_MAJORS + 1 + OTHER_MAJORS + INCREMENTAL]
    over = project_rows[-OVER_BUDGET:]
    diverted = project_rows[-OVER_BUDGET - DIVERSIONS : -OVER_BUDGET]
    for project in [*lagging, edge, *majors]:
        project.major = True
        project.description = "县级重大项目"
    for offset, project in enumerate(incremental):
        project.incremental_policy = True
        project.adopted_on = dt.date(year, 4 + offset, 15)
        project.name = f"{year}年新增{TOPICS[offset]}政策"
    no_line.budget = yuan(0)
    no_line.name = f"{year}年{no_line.name[5:]}（年中追加）"
    for project in diverted:
        project.allowed_purposes = "502,503"
    do_bulk_create(BudgetProject, rows, acting_user=None, comment="demo data")

    # execution on 31 July: the share of the current budget spent
    execution: dict[int, Decimal] = {}
    for project in rows:
        execution[project.pk] = Decimal(rng.uniform(float(max(time_pct - threshold + 5, 0)), float(time_pct + 10)))
    for project in lagging:
        execution[project.pk] = Decimal(rng.uniform(3, float(time_pct - threshold - 2)))
    execution[edge.pk] = time_pct - threshold  # exactly the threshold: not "more than"
    for project in over:
        execution[project.pk] = Decimal(rng.uniform(104, 110))

    adjustments: list[BudgetAdjustment] = []
    for project in rows:
        if project is no_line:
            adjustments.append(
                BudgetAdjustment(
                    project=project,
                    on=dt.date(year, 6, 15),
                    amount=yuan(rng.randint(50, 300) * 10000),
                    kind=AdjustmentKind.ADDITION,
                    note="年中追加预算",
                    is_demo=True,
                )
            )
        elif project not in (edge, *lagging, *over) and rng.random() < 0.15:
            add = rng.random() < 0.75
            amount = yuan(project.budget * Decimal(rng.uniform(0.05, 0.3)))
            if amount > 0:
                adjustments.append(
                    BudgetAdjustment(
                        project=project,
                        on=dt.date(year, rng.randint(3, 6), rng.randint(1, 28)),
                        amount=amount if add else -amount,
                        kind=AdjustmentKind.ADDITION if add else AdjustmentKind.REDUCTION,
                        note="追加预算" if add else "调减预算",
                        is_demo=True,
                    )
                )
    do_bulk_create(BudgetAdjustment, adjustments, acting_user=None, comment="demo data")
    added = {a.project_id: a.amount for a in adjustments}

    spendings: list[Spending] = []
    disbursements: list[Disbursement] = []
    carry: list[CarryOverForecast] = []
    for project in rows:
        budget = project.budget + added.get(project.pk, Decimal(0))
        total = yuan(budget * execution[project.pk] / 100)
        if project is no_line:
            spendings.append(
                Spending(
                    project=project,
                    on=dt.date(year, 5, 20),
                    amount=yuan(rng.randint(5, 20) * 10000),
                    purpose="502",
                    note="预算下达前支出",
                    is_demo=True,
                )
            )
            total = yuan(budget * Decimal("0.2"))
            parts = [(6, total)]
        elif total <= 0:
            parts = []
        else:
            parts = list(zip(range(1, 8), _spread(rng, total, 7), strict=True))
        for month, amount in parts:
            if amount <= 0:
                continue
            purpose = "" if project.expenditure_kind != ExpenditureKind.PROJECT else rng.choice(["502", "503"])
            spendings.append(
                Spending(project=project, on=dt.date(year, month, 25), amount=amount, purpose=purpose, is_demo=True)
            )
            disbursements.append(
                Disbursement(
                    project=project, on=dt.date(year, month, 10), amount=yuan(amount * Decimal("1.05")), is_demo=True
                )
            )
        forecast = yuan(budget - total * Decimal(12) / Decimal(7))
        if forecast > 0 and project.expenditure_kind == ExpenditureKind.PROJECT:
            carry.append(
                CarryOverForecast(project=project, on=july, amount=forecast, note="按1—7月执行进度预计", is_demo=True)
            )
    for project in diverted:
        spendings.append(
            Spending(
                project=project,
                on=dt.date(year, 6, 28),
                amount=yuan(rng.randint(3, 12) * 10000),
                purpose="501",
                note="发放人员补贴",
                is_demo=True,
            )
        )
    do_bulk_create(Spending, spendings, acting_user=None, comment="demo data")
    do_bulk_create(Disbursement, disbursements, acting_user=None, comment="demo data")
    do_bulk_create(CarryOverForecast, carry, acting_user=None, comment="demo data")

    standards = [
        AssetStandard(
            area=county,
            item=item,
            max_unit_price=yuan(price),
            source_document=STANDARD_SOURCE,
            source_status="unverified",
            effective_from=dt.date(year - 3, 1, 1),
            is_demo=True,
        )
        for item, price in ASSET_STANDARDS
    ]
    if not AssetStandard.objects.filter(area=county, source_document=STANDARD_SOURCE).exists():
        do_bulk_create(AssetStandard, standards, acting_user=None, comment="demo data")
    capital = [s for s in spendings if s.purpose == "503"]
    rng.shuffle(capital)
    purchases = []
    for index, spending in enumerate(capital[: max(12, len(capital) // 10)]):
        item, _price = ASSET_STANDARDS[index % len(ASSET_STANDARDS)]
        price = yuan(ASSET_PRICES[item])
        if index < ASSETS_ABOVE:
            price = yuan(Decimal(_price) * Decimal("1.3"))
        purchases.append(
            AssetPurchase(spending=spending, item=item, quantity=rng.randint(2, 10), unit_price=price, is_demo=True)
        )
    do_bulk_create(AssetPurchase, purchases, acting_user=None, comment="demo data")

    marks = []
    for project in [*lagging, edge, *majors[:4]]:
        marks.append(
            KeyMark(
                project=project, marked_on=dt.date(year, 3, 1), major_project=True, note="县级重大项目", is_demo=True
            )
        )
    for project in incremental:
        marks.append(
            KeyMark(
                project=project, marked_on=project.adopted_on, key_policy=True, note="年度新增重点政策", is_demo=True
            )
        )
    for project in [*over, *diverted]:
        marks.append(
            KeyMark(
                project=project,
                marked_on=dt.date(year, 7, 10),
                findings=True,
                weak_management=True,
                note="审计发现问题，管理薄弱",
                is_demo=True,
            )
        )
    low = [
        p
        for p in rows
        if p.expenditure_kind == ExpenditureKind.PROJECT
        and p not in (*lagging, edge, *majors, *incremental, *over, *diverted, no_line)
    ]
    for project in low[:4]:
        marks.append(
            KeyMark(
                project=project,
                marked_on=dt.date(year, 7, 15),
                low_performance=True,
                note="上年绩效评价结果较差",
                is_demo=True,
            )
        )
    do_bulk_create(KeyMark, marks, acting_user=None, comment="demo data")


def figures(ctx: Any, county: Any, year: int) -> None:
    projects = BudgetProject.objects.filter(is_demo=True, area=county, year=year)
    july = dt.date(year, 7, 31)
    decided = selectors.monitored_set(projects, july)
    found = flag_rules.project_flags(projects, july)
    by_kind: dict[str, int] = {}
    for flag in found:
        kind = str(FlagKind(flag.kind).value)
        by_kind[kind] = by_kind.get(kind, 0) + 1
    ctx.figures["finance_projects"] = len(decided)
    ctx.figures["finance_monitored"] = sum(1 for _, monitored, _ in decided if monitored)
    ctx.figures["finance_spending_rows"] = Spending.objects.filter(project__in=projects).count()
    ctx.figures["finance_watch_list_31_july"] = len(selectors.watch_list(projects, july))
    ctx.figures["finance_flags_31_july"] = by_kind
    ctx.figures["finance_key_marks"] = KeyMark.objects.filter(project__in=projects).count()
