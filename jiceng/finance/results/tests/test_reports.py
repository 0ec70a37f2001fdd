"""The monitoring report: its figures are the selectors', it is reproducible for its date, and its
XLSX, Word and PDF files open and carry those figures."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from jiceng.finance import selectors as finance
from jiceng.finance.results import reports, services
from jiceng.finance.results.tests.helpers import JULY, issue, report, target
from jiceng.finance.testing import add_disbursement, add_spending, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(fr):
    """Two departments' projects in 莘县 with spending through July, a deviating target and findings."""
    second = make_project(fr.area("古云镇"), budget="500000", name="农村道路养护", major=True)
    add_spending(fr.project, dt.date(2026, 3, 10), "250000")
    add_disbursement(fr.project, dt.date(2026, 3, 1), "400000")
    add_spending(second, dt.date(2026, 6, 1), "20000")
    goal = target(fr.project, user=fr.bureau, value="1000")
    report(goal, user=fr.bureau, forecast="600", achieved="300")
    closed = issue(second, user=fr.bureau, on=dt.date(2026, 7, 1), text="道路养护进度滞后")
    services.do_respond(closed, text="已加快进度", on=dt.date(2026, 7, 3), acting_user=fr.bureau)
    services.do_close(closed, on=dt.date(2026, 7, 6), acting_user=fr.bureau)
    issue(fr.project, user=fr.bureau, on=dt.date(2026, 7, 1), kind="target_deviation", target=goal, text="目标偏离")
    fr.second = second
    return fr


def test_the_figures_are_the_selectors_figures(county):
    area = county.area("莘县")
    figures = reports.compute_figures(area, JULY)
    projects = [county.project, county.second]
    budget = sum(finance.current_budget(p, JULY) for p in projects)
    spent = sum(finance.spent(p, JULY) for p in projects)
    total = figures["county"]
    assert (total["projects"], Decimal(total["budget"]), Decimal(total["spent"])) == (2, budget, spent)
    assert Decimal(total["execution_pct"]) == (spent * 100 / budget).quantize(Decimal("0.1"))
    assert figures["time_progress"] == str(finance.time_progress(area.path, 2026, JULY))
    assert {d["department"] for d in figures["departments"]} == {p.unit.name for p in projects}
    assert total["deviations"] == 1 and figures["deviations"][0]["forecast"] == "600"
    assert (total["findings"], total["findings_closed"], total["findings_open"]) == (2, 1, 1)
    watch = {p.pk for p, _f in finance.watch_list(finance.BudgetProject.objects.all(), JULY)}
    assert total["watch"] == len(watch)


def test_the_report_is_reproducible_for_its_date(county):
    area = county.area("莘县")
    made = services.do_generate_report(area=area, period_end=JULY, acting_user=county.bureau)
    add_spending(county.project, dt.date(2026, 9, 1), "100000")  # after the period: changes nothing
    assert reports.compute_figures(area, JULY) == made.figures
    assert services.do_generate_report(area=area, period_end=JULY, acting_user=county.bureau) == made
    assert reports.compute_figures(area, dt.date(2026, 9, 30))["county"]["spent"] != made.figures["county"]["spent"]


def test_the_files_open_and_carry_the_figures(county):
    made = services.do_generate_report(area=county.area("莘县"), period_end=JULY, acting_user=county.bureau)
    total = made.figures["county"]

    content, _type = reports.render(made, "xlsx")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    last = [v for v in values if v and v[0] in ("合计", "Total")][-1]
    assert Decimal(str(last[2])) == Decimal(total["budget"]) and Decimal(str(last[3])) == Decimal(total["spent"])
    assert last[1] == total["projects"]

    content, _type = reports.render(made, "docx")
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert total["budget"] in text and total["spent"] in text and made.figures["time_progress"] in text
    assert {total["budget"], total["spent"], county.project.unit.name} <= cells

    content, _type = reports.render(made, "pdf")
    assert content.startswith(b"%PDF")
