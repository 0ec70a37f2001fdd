"""The monitoring report (监控报告) of an Area for Jan 1 – ``on`` (1–7月 汇总分析 style).

``compute_figures(area, on)`` computes every figure from the rows dated up to ``on`` with the core
selectors (current budget, spending, time and execution progress, the watch list, the irregularity
flags) and this app's (deviations, idle-fund warnings, findings and their status on ``on``); the same
call on the same data gives the same figures, so a report is reproducible for its date. The figures
are JSON (amounts and percentages as decimal strings) and are frozen in ``MonitoringReport.figures``;
the XLSX, Word and PDF files are rendered from them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jiceng.core.transfer.bulletins import Bulletin, Section, render_docx, render_pdf
from jiceng.finance import flags as finance_flags
from jiceng.finance import selectors as finance
from jiceng.finance.models import BudgetProject
from jiceng.finance.results import selectors
from jiceng.finance.results.choices import FindingStatus
from jiceng.finance.results.models import Finding, IdleFundWarning, MonitoringReport, PerformanceTarget
from jiceng.finance.results.services import monitored_projects

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def _money(value: Any) -> str:
    return str(Decimal(value or 0).quantize(CENT))


def _pct(part: Decimal, whole: Decimal) -> str | None:
    if whole <= 0:
        return None
    return str((Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1")))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def period_label(on: dt.date) -> str:
    """``2026年1—7月`` for a month end, else ``2026-01-01—2026-07-15``."""
    if on.day == calendar.monthrange(on.year, on.month)[1]:
        return f"{on.year}年1—{on.month}月" if on.month > 1 else f"{on.year}年1月"
    return f"{on.year}-01-01—{on.isoformat()}"


def default_title(area: Any, on: dt.date) -> str:
    return _("%(area)s budget performance monitoring report, %(period)s") % {
        "area": area.name,
        "period": period_label(on),
    }


def _blank(name: str, unit_id: int | None) -> dict[str, Any]:
    return {
        "department": name,
        "unit": unit_id,
        "projects": 0,
        "budget": Decimal(0),
        "spent": Decimal(0),
        "disbursed": Decimal(0),
        "watch": 0,
        "targets": 0,
        "deviations": 0,
        "flags": 0,
        "warnings": 0,
        "findings": 0,
        "findings_open": 0,
        "findings_closed": 0,
        "findings_overdue": 0,
    }


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    row["execution_pct"] = _pct(row["spent"], row["budget"])
    for key in ("budget", "spent", "disbursed"):
        row[key] = _money(row[key])
    return row


def compute_figures(area: Any, on: dt.date) -> dict[str, Any]:
    """Every figure of the report of ``area`` for Jan 1 – ``on`` (see the module docstring)."""
    candidates = BudgetProject.objects.filter(area__path__startswith=area.path, year=on.year)
    projects = monitored_projects(candidates, on)
    ids = [p.pk for p in projects]
    scoped = BudgetProject.objects.filter(pk__in=ids)
    totals = {p.pk: p for p in finance.with_totals(scoped, on)}
    time_pct = finance.time_progress(area.path, on.year, on)
    departments: dict[int, dict[str, Any]] = {}
    county = _blank(area.name, None)

    def bump(project: Any, key: str, amount: Any = 1) -> None:
        dept = departments.setdefault(project.unit_id, _blank(project.unit.name, project.unit_id))
        for row in (dept, county):
            row[key] += amount

    for project in projects:
        row = totals[project.pk]
        bump(project, "projects")
        bump(project, "budget", project.budget + row.adjusted)
        bump(project, "spent", row.spent_total)
        bump(project, "disbursed", row.disbursed_total)
    by_id = {p.pk: p for p in projects}
    watch = []
    for project, figures in finance.watch_list(scoped, on):
        bump(project, "watch")
        watch.append(
            {
                "project": project.name,
                "department": project.unit.name,
                "time_progress": _text(figures["time_progress"]),
                "execution_progress": _text(figures["execution_progress"]),
                "lag_points": _text(figures["lag_points"]),
                "reasons": [r.message for r in figures["reasons"]],
            }
        )
    deviations = []
    for target_row in selectors.target_rows(PerformanceTarget.objects.filter(project_id__in=ids), on):
        project = by_id[target_row["target"].project_id]
        bump(project, "targets")
        found = target_row["deviation"]
        if found is not None and found.flagged:
            bump(project, "deviations")
            deviations.append(
                {
                    "project": project.name,
                    "department": project.unit.name,
                    "indicator": found.target.indicator,
                    "target_value": found.numbers["target_value"],
                    "forecast": found.numbers["forecast"],
                    "unit": found.target.unit,
                    "direction": found.numbers["direction"],
                    "gap_pct": _text(found.gap_pct),
                    "explanation": found.explanation,
                }
            )
    flags = []
    for flag in finance_flags.project_flags(scoped, on):
        project = by_id[flag.project.pk]
        bump(project, "flags")
        flags.append(
            {
                "project": project.name,
                "department": project.unit.name,
                "kind": flag.kind_label,
                "on": flag.on.isoformat(),
                "amount": _money(flag.amount),
                "reason": flag.reason.message,
            }
        )
    warnings = []
    for warning in IdleFundWarning.objects.filter(project_id__in=ids, scanned_on__lte=on).order_by("scanned_on", "pk"):
        project = by_id[warning.project_id]
        bump(project, "warnings")
        warnings.append(
            {
                "project": project.name,
                "department": project.unit.name,
                "rule": warning.get_rule_display(),
                "scanned_on": warning.scanned_on.isoformat(),
                "explanation": warning.explanation,
            }
        )
    findings = []
    for finding, status, overdue in selectors.finding_states(Finding.objects.filter(project_id__in=ids), on):
        project = by_id[finding.project_id]
        bump(project, "findings")
        bump(project, "findings_closed" if status == FindingStatus.CLOSED else "findings_open")
        bump(project, "findings_overdue", int(overdue))
        findings.append(
            {
                "project": project.name,
                "department": finding.department.name,
                "kind": finding.get_kind_display(),
                "issued_on": finding.issued_on.isoformat(),
                "due_on": finding.due_on.isoformat(),
                "status": str(FindingStatus(status).label),
                "status_code": str(status),
                "overdue": overdue,
                "measures": finding.measure_labels(),
                "text": finding.text,
            }
        )
    return {
        "area": area.code,
        "area_name": area.name,
        "year": on.year,
        "on": on.isoformat(),
        "period": period_label(on),
        "time_progress": _text(time_pct),
        "county": _finish(county),
        "departments": [_finish(d) for d in sorted(departments.values(), key=lambda d: d["department"])],
        "watch": watch,
        "deviations": deviations,
        "flags": flags,
        "warnings": warnings,
        "findings": findings,
    }


# --- rendering ------------------------------------------------------------------------------
def summary_header() -> list[str]:
    return [
        _("department"),
        _("Projects monitored"),
        _("Budget (yuan)"),
        _("Spent (yuan)"),
        _("Execution progress (%)"),
        _("Time progress (%)"),
        _("Watch list"),
        _("Targets"),
        _("Target deviations"),
        _("Irregularity flags"),
        _("Idle-fund warnings"),
        _("Findings"),
        _("Open"),
        _("Closed"),
        _("Overdue"),
    ]


def summary_rows(figures: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for row in [*figures["departments"], {**figures["county"], "department": _("Total")}]:
        rows.append(
            [
                row["department"],
                row["projects"],
                row["budget"],
                row["spent"],
                row["execution_pct"] or "—",
                figures["time_progress"] or "—",
                row["watch"],
                row["targets"],
                row["deviations"],
                row["flags"],
                row["warnings"],
                row["findings"],
                row["findings_open"],
                row["findings_closed"],
                row["findings_overdue"],
            ]
        )
    return rows


def detail_tables(figures: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(title, header, rows) of the report's detail tables."""
    return [
        (
            _("Key monitoring (watch list)"),
            [
                _("project"),
                _("department"),
                _("Time progress (%)"),
                _("Execution progress (%)"),
                _("Lag (points)"),
                _("Reasons"),
            ],
            [
                [
                    w["project"],
                    w["department"],
                    w["time_progress"],
                    w["execution_progress"],
                    w["lag_points"],
                    "；".join(w["reasons"]),
                ]
                for w in figures["watch"]
            ],
        ),
        (
            _("Target deviations"),
            [
                _("project"),
                _("indicator"),
                _("target value"),
                _("forecast year-end value"),
                _("Gap (%)"),
                _("explanation"),
            ],
            [
                [
                    d["project"],
                    d["indicator"],
                    f"{d['target_value']} {d['unit']}".strip(),
                    d["forecast"],
                    d["gap_pct"] or "—",
                    d["explanation"],
                ]
                for d in figures["deviations"]
            ],
        ),
        (
            _("Irregularity flags"),
            [_("project"), _("department"), _("kind"), _("date"), _("amount (yuan)"), _("explanation")],
            [[f["project"], f["department"], f["kind"], f["on"], f["amount"], f["reason"]] for f in figures["flags"]],
        ),
        (
            _("Idle-fund warnings"),
            [_("project"), _("department"), _("rule"), _("scanned on"), _("explanation")],
            [
                [w["project"], w["department"], w["rule"], w["scanned_on"], w["explanation"]]
                for w in figures["warnings"]
            ],
        ),
        (
            _("Findings and rectification"),
            [
                _("project"),
                _("department"),
                _("kind"),
                _("issued on"),
                _("response due on"),
                _("status"),
                _("measures"),
            ],
            [
                [
                    f["project"],
                    f["department"],
                    f["kind"],
                    f["issued_on"],
                    f["due_on"],
                    f["status"] + (f" · {_('overdue')}" if f["overdue"] else ""),
                    "、".join(f["measures"]),
                ]
                for f in figures["findings"]
            ],
        ),
    ]


def _sheet_title(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", text)[:31] or "sheet"


def render_xlsx(report: MonitoringReport) -> bytes:
    figures = report.figures
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(str(_("Summary")))
    sheet.append([report.title])
    sheet.append([_("period"), figures["period"], _("Time progress (%)"), figures["time_progress"]])
    sheet.append([])
    sheet.append(summary_header())
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in summary_rows(figures):
        sheet.append([_xlsx_value(v) for v in row])
    for title, header, rows in detail_tables(figures):
        detail = workbook.create_sheet(_sheet_title(title))
        detail.append(header)
        for cell in detail[1]:
            cell.font = Font(bold=True)
        for row in rows:
            detail.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    """Amounts and percentages as numbers; text as text (a leading "=" never becomes a formula)."""
    if isinstance(value, int | float):
        return value
    text = "" if value is None else str(value)
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text)
    return text if not text.startswith("=") else f"'{text}"


def bulletin(report: MonitoringReport) -> Bulletin:
    figures = report.figures
    county = figures["county"]
    overview = _(
        "In %(period)s, %(projects)d projects were monitored with a budget of %(budget)s yuan, of which %(spent)s "
        "yuan was spent: execution progress %(execution)s%% against time progress %(time)s%%. %(watch)d projects are "
        "on the finance bureau's watch list; %(deviations)d performance targets deviate; %(flags)d irregularity flags "
        "and %(warnings)d idle-fund warnings were raised; %(findings)d findings were issued, %(closed)d closed, "
        "%(open)d open, of which %(overdue)d overdue."
    ) % {
        "period": figures["period"],
        "projects": county["projects"],
        "budget": county["budget"],
        "spent": county["spent"],
        "execution": county["execution_pct"] or "—",
        "time": figures["time_progress"] or "—",
        "watch": county["watch"],
        "deviations": county["deviations"],
        "flags": county["flags"],
        "warnings": county["warnings"],
        "findings": county["findings"],
        "closed": county["findings_closed"],
        "open": county["findings_open"],
        "overdue": county["findings_overdue"],
    }
    table = [summary_header(), *[[str(v) for v in row] for row in summary_rows(figures)]]
    sections = [Section(heading=_("Overview"), paragraphs=[overview], table=table)]
    for title, header, rows in detail_tables(figures):
        if rows:
            sections.append(Section(heading=title, table=[header, *[[str(v or "") for v in r] for r in rows]]))
        else:
            sections.append(Section(heading=title, paragraphs=[_("None.")]))
    return Bulletin(
        title=report.title,
        issuer=figures["area_name"],
        period=figures["period"],
        issued_on=report.generated_at.date().isoformat() if report.generated_at else figures["on"],
        sections=sections,
    )


def render(report: MonitoringReport, fmt: str) -> tuple[bytes, str]:
    """The file of ``report`` in ``fmt`` (xlsx, docx, pdf) and its content type."""
    from jiceng.core.export import XLSX_CONTENT_TYPE
    from jiceng.core.transfer.bulletins import DOCX_CONTENT_TYPE

    if fmt == "xlsx":
        return render_xlsx(report), XLSX_CONTENT_TYPE
    if fmt == "docx":
        return render_docx(bulletin(report)), DOCX_CONTENT_TYPE
    if fmt == "pdf":
        return render_pdf(bulletin(report)), "application/pdf"
    raise ValueError(fmt)


FORMATS = ("xlsx", "docx", "pdf")
