"""Inspections, campaigns and hazards of the demo city (聊城市应急管理局, catalogue S02–S05, S12, S14).

The seed article's figures are demo constants here, scaled with ``ctx.scale`` and written as rows;
the pages and the API compute them back from the rows:

- 百日清零 (last year, 100 days): the deep-well casting and explosive-dust enterprises (flagged by
  the safety base demo: 14 + 354) checked against “铝7条”/“粉6条”; every major hazard found was
  rectified, verified and closed, so every one is cleared to zero;
- two rounds of major-hazard-source supervision with the enterprises' self-check: 2,091 problems
  found and rectified; online entry, coverage and self-check all 100 %;
- the year-end enforcement from 12 December (hazardous chemicals, fireworks, non-coal mines; the
  six preventions): 122 enterprise-inspections, 712 hazards, each ordered with a deadline;
- the certificate anti-fraud campaign: 1,734 enterprise-inspections, 1,453 problems rectified;
- and the present: a handful of open hazards in 莘县 (张鲁回族镇 first) — due soon, overdue, escalated, awaiting
  verification, one major hazard listed for supervision with its plan, one major hazard without a
  plan still reported — with their alerts, and two enforcement photos.

Past rows are bulk-created (``do_bulk_create``); the present ones go through the services, so
their steps, deadlines and alerts are what a user would get.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiceng.core import audit
from jiceng.core.checklists.models import ChecklistRun, ChecklistTemplate, ItemResult, ItemStatus
from jiceng.core.checklists.services import load_templates
from jiceng.core.deadlines.calendar import add_workdays
from jiceng.core.deadlines.models import LOCAL_TZ, DeadlineState
from jiceng.core.deadlines.scanner import scan_deadlines
from jiceng.core.models import AuditAction
from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import DEMO_CITY_CODE, DEMO_COUNTY_CODE, DEMO_TOWNSHIP_CODE, scaled
from jiceng.safety.hazards import rules, services
from jiceng.safety.hazards.choices import CampaignKind, HazardSeverity, HazardStatus, InspectionKind
from jiceng.safety.hazards.models import (
    CampaignTarget,
    Hazard,
    Inspection,
    RectificationEvidence,
    RectificationPlan,
    SafetyCampaign,
    TargetGroup,
    Verification,
)
from jiceng.safety.models import ChemicalRole, SafetyProfile, SafetySector

SEED = Path(__file__).resolve().parent / "seed" / "checklists.json"
ORGANISER = "聊城市应急管理局"
OFFICERS = ["张明 李强", "王磊 赵静", "刘洋 陈刚", "杨帆 孙伟", "周涛 吴敏"]

# The seed's figures (catalogue S02–S04, S14).
DEEP_WELL_CASTING, EXPLOSIVE_DUST = 14, 354  # flagged by jiceng/safety/demo.py; cleared to zero
ZEROING_MAJOR_SHARE = 3  # one major hazard found at every third targeted enterprise (demo choice)
MAJOR_SOURCE_PROBLEMS = 2091
YEAR_END_INSPECTIONS, YEAR_END_HAZARDS = 122, 712
ANTIFRAUD_INSPECTIONS, ANTIFRAUD_PROBLEMS = 1734, 1453

MAJOR_SOURCE_FINDINGS = [
    "储罐区可燃气体检测报警器未按期检定",
    "重大危险源包保责任人公示牌信息不全",
    "DCS 报警未按规定处置并留痕",
    "紧急切断阀未按规定定期试验",
    "罐区防火堤排水阀未保持常闭",
    "岗位操作规程未随工艺变更及时修订",
    "监测监控数据接入预警系统存在中断",
    "技术负责人季度隐患排查记录不全",
]
YEAR_END_FINDINGS = [
    "排凝阀、伸缩节等部位未采取防冻保温措施",
    "装卸区静电接地线连接松动",
    "有毒气体检测报警仪未覆盖作业点",
    "消防器材过期未及时更换",
    "动火作业票证审批不规范",
    "防爆电气设备密封不良",
    "冬季防凝措施未落实到具体责任人",
]
ANTIFRAUD_FINDINGS = [
    "特种作业人员操作证与本人信息不符",
    "安全培训档案学时记录不实",
    "主要负责人安全资格证书已过期",
    "新员工三级安全教育记录缺失",
    "培训签到表存在代签",
    "安全管理人员未按期参加再培训",
]
CURRENT = [
    # (description, severity, state, workdays back the hazard was found)
    ("液氨储罐区一处压力表超期未校验", "ordinary", "reported", 1),
    ("配电室应急照明失效", "ordinary", "reported", 0),
    ("危化品仓库通风设施损坏", "ordinary", "due_soon", 10),
    ("车间安全出口被货物堵塞", "ordinary", "rectifying", 3),
    ("叉车司机未持证上岗", "ordinary", "rectifying", 2),
    ("涂装车间可燃气体报警器故障", "ordinary", "overdue", 14),
    ("动火作业现场未配备监护人", "ordinary", "overdue", 13),
    ("粉尘清扫制度未落实，设备积尘严重", "ordinary", "escalated", 20),
    ("储罐呼吸阀阻火器锈蚀", "ordinary", "submitted", 9),
    ("重大危险源储罐区紧急切断系统失效", "major", "listed", 15),
    ("干式除尘系统未采取任何控爆措施", "major", "unplanned", 10),
]


def build(ctx: Any) -> None:
    if SafetyCampaign.objects.filter(is_demo=True).exists():
        ctx.figures["safety hazards"] = "demo already present; nothing added"
        return
    load_templates(SEED)
    profiles = list(SafetyProfile.objects.filter(is_demo=True).select_related("enterprise__area", "area", "sector"))
    if not profiles:
        ctx.figures["safety hazards"] = "no safety profiles; nothing added"
        return
    rng = random.Random(f"{ctx.rng.random()}-safety-hazards")
    today = timezone.localdate()
    city = ctx.area(DEMO_CITY_CODE)
    year = today.year - 1
    top_up_flagged_profiles(ctx, rng)
    builder = Builder(ctx, rng, today)
    builder.hundred_day_zeroing(city, year)
    builder.major_hazard_sources(city, year)
    builder.year_end(city, year)
    builder.antifraud(city, year)
    builder.flush()
    builder.present(ctx.area(DEMO_COUNTY_CODE))
    scan_deadlines(models_=[Hazard])
    services.scan_unlisted_major_hazards(today)
    ctx.figures["safety campaigns"] = SafetyCampaign.objects.filter(is_demo=True).count()
    ctx.figures["safety inspections"] = Inspection.objects.filter(is_demo=True).count()
    ctx.figures["safety hazards"] = Hazard.objects.filter(is_demo=True).count()
    ctx.figures["safety hazards open"] = Hazard.objects.filter(is_demo=True).exclude(status=HazardStatus.CLOSED).count()


def top_up_flagged_profiles(ctx: Any, rng: random.Random) -> int:
    """Make sure 百日清零 has its 14 deep-well casting and 354 explosive-dust enterprises.

    The safety base demo flags them among its profiles, but where its hazardous-chemical roles
    take every profiled enterprise none is left to flag; the shortfall gets profiles here, on demo
    enterprises that have none yet (manufacturers first). Adds nothing once the base demo flags them.
    """
    from jiceng.directory.models import Enterprise

    profiles = SafetyProfile.objects.filter(is_demo=True)
    need = {
        "is_deep_well_casting": scaled(DEEP_WELL_CASTING, ctx.scale)
        - profiles.filter(is_deep_well_casting=True, area__path__startswith=ctx.area(DEMO_CITY_CODE).path).count(),
        "has_explosive_dust": scaled(EXPLOSIVE_DUST, ctx.scale)
        - profiles.filter(has_explosive_dust=True, area__path__startswith=ctx.area(DEMO_CITY_CODE).path).count(),
    }
    if max(need.values()) <= 0:
        return 0
    city = ctx.area(DEMO_CITY_CODE)
    free = list(
        Enterprise.objects.filter(is_demo=True, safety_profile__isnull=True, area__path__startswith=city.path)
        .select_related("area")
        .order_by("id")
    )
    free.sort(key=lambda e: (e.sector != "C", e.id))
    sectors = {s.code: s for s in SafetySector.objects.filter(code__in=["nonferrous", "explosive_dust"])}
    pool = iter(free)
    rows = []
    for flag, sector in (("is_deep_well_casting", "nonferrous"), ("has_explosive_dust", "explosive_dust")):
        for _ in range(max(need[flag], 0)):
            enterprise = next(pool, None)
            if enterprise is None:
                break
            rows.append(
                SafetyProfile(
                    enterprise=enterprise,
                    area=enterprise.area,
                    sector=sectors.get(sector),
                    principal=enterprise.legal_representative,
                    employees=rng.randint(10, 300),
                    is_demo=True,
                    **{flag: True},
                )
            )
    do_bulk_create(SafetyProfile, rows, acting_user=None, comment="demo data: 百日清零 targets", validate=False)
    ctx.figures["safety profiles added for 百日清零"] = len(rows)
    return len(rows)


def local(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL_TZ)


def split(total: int, parts: int) -> list[int]:
    if parts <= 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


class Builder:
    """Collects the past rows and writes them in a few bulk inserts."""

    def __init__(self, ctx: Any, rng: random.Random, today: dt.date) -> None:
        self.ctx, self.rng, self.today = ctx, rng, today
        self.inspections: list[Inspection] = []
        self.hazards: list[tuple[Hazard, dict[str, Any] | None]] = []  # (hazard, plan fields)
        self.sectors = {s.code: s for s in SafetySector.objects.all()}
        self.county_path = ctx.area(DEMO_COUNTY_CODE).path

    # --- campaigns and their targets ---------------------------------------------------------
    def campaign(self, city: Any, **data: Any) -> SafetyCampaign:
        sectors = data.pop("key_sectors", [])
        campaign = services.do_create_safety_campaign(
            data={**data, "area": city, "organiser": ORGANISER, "is_demo": True, "key_sectors": sectors},
            acting_user=None,
            comment="demo data",
        )
        return campaign

    def group(self, campaign: SafetyCampaign, name: str, template: str | None, **criteria: Any) -> TargetGroup:
        sectors = criteria.pop("sectors", [])
        group = services.do_add_target_group(
            campaign,
            data={
                "name": name,
                "template": ChecklistTemplate.objects.get(key=template) if template else None,
                "due_on": campaign.ends_on,
                "is_demo": True,
                "sectors": sectors,
                **criteria,
            },
            acting_user=None,
        )
        services.do_assign_targets(group, acting_user=None, is_demo=True)
        return group

    def targets(self, campaign: SafetyCampaign) -> list[CampaignTarget]:
        return list(
            CampaignTarget.objects.filter(campaign=campaign)
            .select_related("enterprise__area", "area", "run__campaign", "group__template")
            .order_by("id")
        )

    def complete_runs(self, targets: list[CampaignTarget], on: dt.date) -> None:
        """Tick every item of the targets' runs with its evidence (the enterprises' completed
        self-check). Demo only: one set-based UPDATE per table and one audit entry per checklist
        campaign instead of ``do_mark_item`` per item (thousands of items; the engine has no bulk
        service yet), so the build stays fast."""
        runs = [t.run for t in targets if t.run_id]
        if not runs:
            return
        at = local(on, 17)
        run_ids = [run.pk for run in runs]
        ItemResult.objects.filter(run_id__in=run_ids, status=ItemStatus.PENDING).update(
            status=ItemStatus.DONE, evidence_note=f"{on.isoformat()} 自查记录、现场照片", reviewed_at=at
        )
        ChecklistRun.objects.filter(pk__in=run_ids, completed_at__isnull=True).update(completed_at=at)
        for campaign in {run.campaign for run in runs}:
            audit.record(
                AuditAction.UPDATE,
                campaign,
                actor=None,
                after={"runs_completed": sum(1 for run in runs if run.campaign_id == campaign.pk)},
                comment="demo data: every item done",
            )

    # --- rows ----------------------------------------------------------------------------------
    def inspection(self, target: CampaignTarget, kind: str, day: dt.date, number: int = 1) -> Inspection:
        row = Inspection(
            enterprise=target.enterprise,
            area=target.area,
            campaign=target.campaign,
            round=number,
            kind=kind,
            inspected_on=day,
            officers=self.rng.choice(OFFICERS) if kind != InspectionKind.SELF_CHECK else "企业安全管理人员",
            summary="",
            is_demo=True,
        )
        self.inspections.append(row)
        return row

    def closed_hazard(
        self,
        inspection: Inspection,
        description: str,
        *,
        severity: str = HazardSeverity.ORDINARY,
        item: Any = None,
        plan_days: int = 60,
    ) -> None:
        """A hazard found at ``inspection``, ordered, rectified in time, verified and closed."""
        found = inspection.inspected_on
        hazard = Hazard(
            enterprise=inspection.enterprise,
            area=inspection.area,
            severity=severity,
            description=description,
            inspection=inspection,
            campaign=inspection.campaign,
            checklist_item=item,
            found_on=found,
            entered_at=local(found, 17),
            entered_on_time=True,
            status=HazardStatus.CLOSED,
            is_demo=True,
        )
        plan = None
        if severity == HazardSeverity.MAJOR:
            due, workdays = found + dt.timedelta(days=plan_days), None
            plan = {
                "responsible_person": f"{inspection.enterprise.legal_representative or '企业'}（主要负责人）",
                "responsible_unit": inspection.enterprise.name,
                "measures": description.split("：")[-1] + "；按标准完成改造并验收",
                "funds_yuan": 50000 + 10000 * self.rng.randint(0, 20),
                "deadline": due,
                "contingency_plan": "整改期间局部停产，落实专人监护和应急处置措施",
                "supervising_unit": "莘县应急管理局"
                if inspection.area.path.startswith(self.county_path)
                else ORGANISER,
            }
        else:
            workdays = rules.policy(rules.GENERAL_WORKDAYS, hazard, found).value
            due = add_workdays(found, workdays)
        for name, value in rules.deadline_fields(hazard, due, on=found, workdays=workdays).items():
            setattr(hazard, name, value)
        submitted = min(found + dt.timedelta(days=self.rng.randint(2, max((due - found).days, 2))), due)
        closed = submitted + dt.timedelta(days=self.rng.randint(1, 5))
        hazard.accepted_on = found
        hazard.rectifying_since = local(found, 18)
        hazard.rectification_round = 1
        hazard.submitted_on, hazard.submitted_at = submitted, local(submitted, 16)
        hazard.closed_on = closed
        hazard.deadline_state = DeadlineState.DONE
        if severity == HazardSeverity.MAJOR:
            hazard.listed_on, hazard.delisted_on = found, closed
        self.hazards.append((hazard, plan))

    def flush(self) -> None:
        """Write the collected inspections, hazards, plans, evidence and verifications."""
        do_bulk_create(Inspection, self.inspections, acting_user=None, comment="demo data", validate=False)
        hazards = do_bulk_create(
            Hazard, [h for h, _plan in self.hazards], acting_user=None, comment="demo data", validate=False
        )
        plans, evidence, verifications = [], [], []
        for hazard, (_row, plan) in zip(hazards, self.hazards, strict=True):
            if plan is not None:
                plans.append(RectificationPlan(hazard=hazard, is_demo=True, **plan))
            evidence.append(
                RectificationEvidence(
                    hazard=hazard,
                    description="已按要求整改完毕，附整改前后照片",
                    recorded_at=local(hazard.submitted_on, 15),
                    is_demo=True,
                )
            )
            verifications.append(
                Verification(
                    hazard=hazard,
                    officer_name=self.rng.choice(OFFICERS).split()[0],
                    verified_on=hazard.closed_on,
                    passed=True,
                    notes="现场复核，整改到位，予以销号",
                    recorded_at=local(hazard.closed_on, 11),
                    is_demo=True,
                )
            )
        do_bulk_create(RectificationPlan, plans, acting_user=None, comment="demo data", validate=False)
        do_bulk_create(RectificationEvidence, evidence, acting_user=None, comment="demo data", validate=False)
        do_bulk_create(Verification, verifications, acting_user=None, comment="demo data", validate=False)
        self.ctx.figures["safety past hazards"] = len(hazards)

    def day_in(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    # --- the four campaigns ---------------------------------------------------------------------
    def hundred_day_zeroing(self, city: Any, year: int) -> None:
        """S02: casting and dust enterprises checked against 铝7条/粉6条; every major hazard closed."""
        start = dt.date(year, 6, 1)
        campaign = self.campaign(
            city,
            name=f"{year}年工贸行业安全生产专项整治“百日清零行动”",
            kind=CampaignKind.HUNDRED_DAY_ZEROING,
            starts_on=start,
            ends_on=start + dt.timedelta(days=99),
            measures="“铝7条”“粉6条”重大事故隐患清零",
        )
        self.group(campaign, "铝加工（深井铸造）企业", "safety.hundred_day.aluminium_seven", is_deep_well_casting=True)
        self.group(campaign, "粉尘涉爆企业", "safety.hundred_day.dust_six", has_explosive_dust=True)
        targets = self.targets(campaign)
        items = {
            t.pk: list(t.items.order_by("order"))
            for t in ChecklistTemplate.objects.filter(key__startswith="safety.hundred_day.")
        }
        for index, target in enumerate(targets):
            visit = self.inspection(
                target, InspectionKind.ENFORCEMENT, self.day_in(start, start + dt.timedelta(days=60))
            )
            if index % ZEROING_MAJOR_SHARE == 0 and target.group.template_id:
                item = self.rng.choice(items[target.group.template_id])
                text = item.text.replace("（转述）", "")
                self.closed_hazard(
                    visit,
                    f"对照{target.group.template.name}第{item.code}项：{text}未落实",
                    severity=HazardSeverity.MAJOR,
                    item=item,
                    plan_days=self.rng.randint(20, 35),
                )
        self.complete_runs(targets, start + dt.timedelta(days=95))

    def major_hazard_sources(self, city: Any, year: int) -> None:
        """S03: two rounds of supervision with the enterprises' self-check; 2,091 problems closed."""
        start = dt.date(year, 3, 1)
        campaign = self.campaign(
            city,
            name=f"{year}年危险化学品重大危险源专项督导检查",
            kind=CampaignKind.MAJOR_HAZARD_SOURCE,
            starts_on=start,
            ends_on=dt.date(year, 11, 30),
            rounds=2,
            measures="两轮督导检查；企业对标自查；隐患问题线上录入",
            key_sectors=[self.sectors["hazchem"]] if "hazchem" in self.sectors else [],
        )
        self.group(
            campaign,
            "重大危险源企业",
            "safety.major_hazard_source.self_check",
            chemical_roles=f"{ChemicalRole.PRODUCER},{ChemicalRole.CHEMICAL_PHARMA}",
        )
        targets = self.targets(campaign)
        visits = []
        for target in targets:
            self.inspection(target, InspectionKind.SELF_CHECK, self.day_in(start, dt.date(year, 3, 31)))
            visits.append(
                self.inspection(
                    target, InspectionKind.SUPERVISION, self.day_in(dt.date(year, 4, 1), dt.date(year, 6, 30)), 1
                )
            )
            visits.append(
                self.inspection(
                    target, InspectionKind.SUPERVISION, self.day_in(dt.date(year, 8, 1), dt.date(year, 10, 31)), 2
                )
            )
        for visit, count in zip(visits, split(scaled(MAJOR_SOURCE_PROBLEMS, self.ctx.scale), len(visits)), strict=True):
            for _ in range(count):
                self.closed_hazard(visit, self.rng.choice(MAJOR_SOURCE_FINDINGS))
        self.complete_runs(targets, dt.date(year, 3, 31))

    def year_end(self, city: Any, year: int) -> None:
        """S04: from 12 December, key sectors, six preventions; 122 inspections, 712 hazards."""
        start = dt.date(year, 12, 12)
        end = dt.date(year + 1, 2, 28)
        sectors = [self.sectors[c] for c in ("hazchem", "fireworks", "non_coal_mining") if c in self.sectors]
        campaign = self.campaign(
            city,
            name=f"{year}年岁末年初安全生产执法检查",
            kind=CampaignKind.YEAR_END_ENFORCEMENT,
            starts_on=start,
            ends_on=end,
            measures="防冻、防凝、防火、防爆、防静电、防中毒",
            key_sectors=sectors,
        )
        self.group(
            campaign,
            "危险化学品生产、化工医药企业",
            "safety.year_end.six_preventions",
            chemical_roles=f"{ChemicalRole.PRODUCER},{ChemicalRole.CHEMICAL_PHARMA}",
        )
        fireworks_mines = [s for s in sectors if s.code != "hazchem"]
        if fireworks_mines:
            self.group(campaign, "烟花爆竹、非煤矿山企业", "safety.year_end.six_preventions", sectors=fireworks_mines)
        targets = self.targets(campaign)
        if not targets:
            return
        last = min(end, self.today)
        visits = [
            self.inspection(
                targets[i % len(targets)],
                InspectionKind.ENFORCEMENT,
                self.day_in(start, min(last, start + dt.timedelta(days=40))),
            )
            for i in range(scaled(YEAR_END_INSPECTIONS, self.ctx.scale))
        ]
        for visit, count in zip(visits, split(scaled(YEAR_END_HAZARDS, self.ctx.scale), len(visits)), strict=True):
            for _ in range(count):
                self.closed_hazard(visit, self.rng.choice(YEAR_END_FINDINGS))
        self.complete_runs(targets, start + dt.timedelta(days=45))

    def antifraud(self, city: Any, year: int) -> None:
        """S14 (inspection part): 1,734 enterprise-inspections, 1,453 problems rectified."""
        start = dt.date(year, 4, 1)
        end = dt.date(year, 10, 31)
        campaign = self.campaign(
            city,
            name=f"{year}年安全资格证“打假”和培训“走过场”专项行动",
            kind=CampaignKind.CERTIFICATE_ANTIFRAUD,
            starts_on=start,
            ends_on=end,
            measures="围绕安全培训机构、考试场所、生产经营单位等3类主体开展专项整治",
        )
        self.group(campaign, "生产经营单位（重点企业）", None, key_enterprises_only=True)
        targets = self.targets(campaign)
        if not targets:
            return
        visits = [
            self.inspection(targets[i % len(targets)], InspectionKind.ENFORCEMENT, self.day_in(start, end))
            for i in range(scaled(ANTIFRAUD_INSPECTIONS, self.ctx.scale))
        ]
        for visit, count in zip(visits, split(scaled(ANTIFRAUD_PROBLEMS, self.ctx.scale), len(visits)), strict=True):
            for _ in range(count):
                self.closed_hazard(visit, self.rng.choice(ANTIFRAUD_FINDINGS))

    # --- the present ----------------------------------------------------------------------------
    def present(self, county: Any) -> None:
        """Open hazards in the demo township (else the county), through the services (steps, deadlines, alerts)."""
        township = self.ctx.area(DEMO_TOWNSHIP_CODE)  # the demo township's logins see them
        profiles = list(
            SafetyProfile.objects.filter(is_demo=True, area__path__startswith=township.path)
            .select_related("enterprise__area", "area")
            .order_by("enterprise_id")[: len(CURRENT)]
        ) or list(
            SafetyProfile.objects.filter(is_demo=True, area__path__startswith=county.path)
            .select_related("enterprise__area", "area")
            .order_by("enterprise_id")[: len(CURRENT)]
        )
        if not profiles:
            return
        today = self.today
        for index, (description, severity, state, back) in enumerate(CURRENT):
            profile = profiles[index % len(profiles)]
            found = add_workdays(today, -back) if back else today
            inspection = services.do_record_inspection(
                data={
                    "enterprise": profile.enterprise,
                    "kind": InspectionKind.ENFORCEMENT,
                    "inspected_on": found,
                    "officers": OFFICERS[index % len(OFFICERS)],
                    "summary": "日常执法检查",
                    "is_demo": True,
                },
                acting_user=None,
            )
            hazard = services.do_report_hazard(
                data={
                    "enterprise": profile.enterprise,
                    "severity": severity,
                    "description": description,
                    "inspection": inspection,
                    "found_on": found,
                    "entered_at": min(local(found, 17), timezone.now()),
                    "is_demo": True,
                },
                acting_user=None,
            )
            self.advance(hazard, state, found)
            if index == 0:
                for number, color in ((1, (200, 40, 40)), (2, (40, 120, 200))):
                    services.do_attach_recording(
                        inspection,
                        kind="photo",
                        upload=SimpleUploadedFile(f"执法记录{number}.png", png(color), content_type="image/png"),
                        recorded_at=local(found, 9 + number),
                        recorded_by=OFFICERS[0].split()[0],
                        acting_user=None,
                        is_demo=True,
                    )

    def advance(self, hazard: Hazard, state: str, found: dt.date) -> None:
        if state in ("reported", "unplanned"):
            return
        if state == "listed":
            services.do_save_plan(
                hazard,
                data={
                    "responsible_person": "企业主要负责人",
                    "responsible_unit": hazard.enterprise.name,
                    "measures": "更换紧急切断阀并完成联锁调试，期间储罐降液位运行",
                    "funds_yuan": 380000,
                    "deadline": self.today + dt.timedelta(days=75),
                    "contingency_plan": "储罐区专人24小时盯守，配备应急物资，制定专项处置方案",
                    "supervising_unit": "莘县应急管理局",
                    "is_demo": True,
                },
                acting_user=None,
            )
            services.do_transition(hazard, to=HazardStatus.RECTIFYING, on=found, acting_user=None, comment="挂牌督办")
            return
        general = rules.policy(rules.GENERAL_WORKDAYS, hazard, found).value
        accepted = found
        if state == "due_soon":  # due tomorrow (a workday), inside the warning window
            accepted = add_workdays(add_workdays(self.today, 1), -general)
        services.do_transition(
            hazard, to=HazardStatus.RECTIFYING, on=accepted, acting_user=None, comment="责令限期整改"
        )
        if state == "submitted":
            services.do_record_evidence(hazard, description="已更换阻火器，附照片", acting_user=None, is_demo=True)
            services.do_transition(hazard, to=HazardStatus.SUBMITTED, on=self.today, acting_user=None)


def png(color: tuple[int, int, int], size: int = 32) -> bytes:
    """A small solid-colour PNG (a stand-in for a body-camera photo)."""
    row = b"\x00" + bytes(color) * size
    raw = row * size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
