"""Export of any table (the same Table the list page shows) to XLSX."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import django_tables2 as tables
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_EXCLUDE = ("actions", "selection")


def table_to_workbook(table: tables.Table, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "export")
    rows = table.as_values(exclude_columns=EXPORT_EXCLUDE)
    header = next(rows)
    bold = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet: Any, value: Any) -> Any:
    """A cell value; text is always stored as text, so "=…" typed by a user never becomes a formula."""
    if value is None or isinstance(value, int | float | dt.date):
        return value
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"  # openpyxl would otherwise store a string starting with "=" as a formula
    return cell


def xlsx_response(table: tables.Table, title: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(table_to_workbook(table, title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(title)}-{stamp}.xlsx"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)
