"""The results part of the demo county (runs after ``finance/demo.py``).

For the demo projects of 莘县 (371522000000) in the latest demo year: two or three performance
targets each, progress reports at the end of March, May and July (a few forecasts miss their
target beyond the tolerance), the findings of the August monitoring (execution lag on the watch
list, target deviations; some responded and closed, some left without a response and overdue,
whose alerts the deadline scan raises), the idle-fund scans at the end of each rule's check month
with one warning turned into a finding, the Jan–Jul monitoring report and the notes for next
year's budget review. Every number comes from the rows and the policies; a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiceng.core import services as core_services
from jiceng.core.deadlines.calendar import add_workdays
from jiceng.core.deadlines.scanner import scan_deadlines
from jiceng.finance import selectors as finance
from jiceng.finance.results import rules, services
from jiceng.finance.results.choices import FindingKind, FindingStatus, Recommendation
from jiceng.finance.results.models import Finding, IdleFundWarning, PerformanceTarget, TargetReport

COUNTY_CODE = "371522000000"  # 莘县
REPORT_MONTHS = (3, 5, 7)
DEVIATING_SHARE = 0.15  # share of projects whose quantity target misses its forecast
CLOSED_SHARE = 0.5  # share of the findings the departments answered and the bureau closed

# (category, indicator, target value, unit, direction)
QUANTITY = ("output_quantity", "年度建设（服务）任务完成量", "100", "%", "higher")
LIBRARY = [
    ("output_quality", "项目验收合格率", "98", "%", "higher"),
    ("output_timeliness", "按期完成率", "100", "%", "higher"),
    ("output_cost", "成本控制率（实际成本÷预算）", "100", "%", "lower"),
    ("effect_social", "受益群众人数", "5000", "人", "higher"),
    ("effect_economic", "带动群众增收", "300", "万元", "higher"),
    ("effect_sustainable", "设施持续发挥效益年限", "15", "年", "higher"),
]
SATISFACTION = ("satisfaction", "服务对象满意度", "90", "%", "higher")
RESPONSES = [
    "已分析滞后原因，倒排工期，9月底前完成招标并拨付进度款。",
    "已按程序申请调整绩效目标并报财政局备案。",
    "已暂缓后续拨款申请，待项目实施方案调整后再行申请。",
]


def _project_area_path(ctx: Any) -> str:
    return str(ctx.area(COUNTY_CODE).path)


def _demo_projects(ctx: Any) -> tuple[int | None, list[Any]]:
    from jiceng.finance.models import BudgetProject

    rows = BudgetProject.objects.filter(is_demo=True, area__path__startswith=_project_area_path(ctx))
    year = rows.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return None, []
    end = dt.date(year, 12, 31)
    return year, services.monitored_projects(rows.filter(year=year), min(end, timezone.localdate()))


def _value(text: str) -> Decimal:
    return Decimal(text)


def _build_targets(ctx: Any, projects: list[Any], year: int) -> list[PerformanceTarget]:
    targets = []
    for project in projects:
        chosen = [QUANTITY, ctx.rng.choice(LIBRARY), SATISFACTION]
        for category, indicator, value, unit, direction in chosen:
            target = PerformanceTarget(
                project=project,
                category=category,
                indicator=indicator,
                target_value=_value(value),
                unit=unit,
                direction=direction,
                weight=Decimal("20") if category == "satisfaction" else None,
                is_demo=True,
            )
            target.area_id = project.area_id
            targets.append(target)
    return core_services.do_bulk_create(PerformanceTarget, targets, acting_user=None, comment="demo")


def _build_reports(ctx: Any, targets: list[PerformanceTarget], year: int) -> tuple[list[TargetReport], set[int]]:
    """Reports at the end of each report month; the quantity target of about ``DEVIATING_SHARE`` of the
    projects ends July with a forecast beyond the tolerance."""
    tolerance = (
        Decimal(rules.policy(rules.TOLERANCE, targets[0], dt.date(year, 7, 31)).value) if targets else Decimal(0)
    )
    projects = sorted({t.project_id for t in targets})
    deviating = set(ctx.rng.sample(projects, max(1, round(len(projects) * DEVIATING_SHARE)))) if projects else set()
    rows = []
    for target in targets:
        value = Decimal(target.target_value)
        misses = target.category == "output_quantity" and target.project_id in deviating
        for index, month in enumerate(REPORT_MONTHS, start=1):
            share = Decimal(index) / Decimal(len(REPORT_MONTHS) + 1)
            if misses and month == REPORT_MONTHS[-1]:
                factor = 1 - (tolerance + Decimal(ctx.rng.randint(12, 25))) / 100
            else:
                factor = 1 + Decimal(ctx.rng.randint(-int(tolerance * 4), int(tolerance * 4))) / 1000
            if target.direction == "lower":
                factor = 2 - factor if misses else factor
                achieved = (value * factor).quantize(Decimal("0.01"))
            else:
                achieved = (value * share * factor).quantize(Decimal("0.01"))
            rows.append(
                TargetReport(
                    target=target,
                    reported_on=rules.month_end(year, month),
                    achieved=achieved,
                    forecast=(value * factor).quantize(Decimal("0.01")),
                    note=f"1—{month}月监控填报",
                    is_demo=True,
                )
            )
    return core_services.do_bulk_create(TargetReport, rows, acting_user=None, comment="demo"), deviating


def _workday_on_or_after(day: dt.date) -> dt.date:
    return add_workdays(day - dt.timedelta(days=1), 1)


def _build_findings(ctx: Any, projects: list[Any], year: int) -> list[Finding]:
    """The August monitoring: a finding per watch-list project and per deviating target (issued on the
    first workday after the 10th of August), when that day is not in the future."""
    summary_end = rules.month_end(year, rules.policy(rules.SUMMARY_MONTH, projects[0], dt.date(year, 7, 31)).value)
    issued = _workday_on_or_after(summary_end + dt.timedelta(days=10))
    if issued > timezone.localdate():
        return []
    from jiceng.finance.models import BudgetProject

    findings = []
    watch = finance.watch_list(BudgetProject.objects.filter(pk__in=[p.pk for p in projects]), summary_end)
    for project, figures in watch:
        findings.append(
            services.do_issue_finding(
                data={
                    "project": project,
                    "kind": FindingKind.EXECUTION_LAG,
                    "text": f"截至{summary_end.isoformat()}，" + "；".join(r.message for r in figures["reasons"]),
                    "measures": ["interview", "suspend_disbursement"],
                    "issued_on": issued,
                    "numbers": services.finding_numbers(FindingKind.EXECUTION_LAG, project, summary_end),
                    "is_demo": True,
                },
                acting_user=None,
            )
        )
    targets = PerformanceTarget.objects.filter(project__in=projects, is_demo=True)
    from jiceng.finance.results.selectors import deviations

    for found in deviations(targets, summary_end):
        findings.append(
            services.do_issue_finding(
                data={
                    "project": found.target.project,
                    "kind": FindingKind.TARGET_DEVIATION,
                    "text": found.explanation,
                    "target": found.target,
                    "measures": ["adjust_targets"],
                    "issued_on": issued,
                    "is_demo": True,
                },
                acting_user=None,
            )
        )
    return findings


def _settle(ctx: Any, findings: list[Finding]) -> None:
    """About ``CLOSED_SHARE`` of the findings are answered within their deadline and closed; one answer
    is first rejected; the rest stay unanswered (overdue once their deadline has passed)."""
    today = timezone.localdate()
    answered = [f for f in findings if ctx.rng.random() < CLOSED_SHARE]
    for index, finding in enumerate(answered):
        responded = add_workdays(finding.issued_on, max(1, finding.due_workdays - 3))
        closed = add_workdays(responded, 2)
        if closed > today:
            continue
        services.do_respond(finding, text=RESPONSES[index % len(RESPONSES)], on=responded, acting_user=None)
        if index == 0:
            services.do_reject(
                finding, reason="整改措施不具体，请补充时间节点。", on=add_workdays(responded, 1), acting_user=None
            )
            responded = add_workdays(responded, 2)
            closed = add_workdays(responded, 1)
            if closed > today:
                continue
            services.do_respond(finding, text="已补充整改时间节点和责任人。", on=responded, acting_user=None)
        services.do_close(finding, note="整改到位，同意办结。", on=closed, acting_user=None)


def _scan(ctx: Any, year: int) -> list[IdleFundWarning]:
    found = []
    area = ctx.area(COUNTY_CODE)
    path = area.path
    for key in rules.MONTH_KEYS:
        month = rules.policy(key, area, dt.date(year, 12, 31)).value
        on = rules.month_end(year, int(month))
        if on <= timezone.localdate():
            found += services.do_scan_idle_funds(on=on, area_path=path, acting_user=None, is_demo=True)
    return found


def _notes(ctx: Any, findings: list[Finding], year: int, summary_month: int) -> int:
    created = 0
    for finding in Finding.objects.filter(pk__in=[f.pk for f in findings]).select_related("project"):
        if finding.status != FindingStatus.CLOSED:
            continue
        recommendation = Recommendation.REDUCE if finding.kind == FindingKind.EXECUTION_LAG else Recommendation.REVIEW
        amount = None
        if finding.kind == FindingKind.EXECUTION_LAG:
            unspent = Decimal(finding.numbers.get("current_budget", "0")) - Decimal(finding.numbers.get("spent", "0"))
            amount = (unspent / 2).quantize(Decimal("0.01")) if unspent > 0 else None
        services.do_create_review_note(
            data={
                "project": finding.project,
                "recommendation": recommendation,
                "amount": amount,
                "text": f"根据{year}年1—{summary_month}月绩效监控结果：{finding.get_kind_display()}",
                "finding": finding,
                "is_demo": True,
            },
            acting_user=None,
        )
        created += 1
    return created


def build(ctx: Any) -> None:
    year, projects = _demo_projects(ctx)
    if year is None or not projects:
        return
    if PerformanceTarget.objects.filter(is_demo=True, project__in=projects).exists():
        return  # built already
    targets = _build_targets(ctx, projects, year)
    reports, deviating = _build_reports(ctx, targets, year)
    findings = _build_findings(ctx, projects, year)
    _settle(ctx, findings)
    warnings = _scan(ctx, year)
    if warnings:
        first = warnings[0]
        issued = max(first.scanned_on, _workday_on_or_after(first.scanned_on + dt.timedelta(days=3)))
        if issued <= timezone.localdate():
            findings.append(
                services.do_issue_from_warning(first, measures=["recover_balance"], on=issued, acting_user=None)
            )
    scan_deadlines(models_=[Finding])  # the overdue alerts of the findings left without an answer
    area = ctx.area(COUNTY_CODE)
    summary_end = rules.month_end(year, rules.policy(rules.SUMMARY_MONTH, area, dt.date(year, 7, 31)).value)
    report = None
    if summary_end <= timezone.localdate():
        report = services.do_generate_report(area=area, period_end=summary_end, acting_user=None, is_demo=True)
    notes = _notes(ctx, findings, year, summary_end.month)
    states = Finding.objects.filter(pk__in=[f.pk for f in findings])
    ctx.figures["finance_results.targets"] = len(targets)
    ctx.figures["finance_results.reports"] = len(reports)
    ctx.figures["finance_results.deviating_projects"] = len(deviating)
    ctx.figures["finance_results.findings"] = len(findings)
    ctx.figures["finance_results.findings_closed"] = states.filter(status=FindingStatus.CLOSED).count()
    ctx.figures["finance_results.findings_overdue"] = sum(f.is_overdue() for f in states)
    ctx.figures["finance_results.idle_fund_warnings"] = len(warnings)
    ctx.figures["finance_results.report"] = report.title if report else "—"
    ctx.figures["finance_results.review_notes"] = notes
