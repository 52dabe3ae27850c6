"""Excel export: every list page offers exactly what its filters show as .xlsx."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell that starts with one of these is run as a formula by spreadsheet programs (CSV/formula
# injection). Exports neutralise them by prefixing an apostrophe, the convention Excel itself uses.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> Any:
    """Return a value that openpyxl will store as data, never as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    # Control characters are not allowed in .xlsx and would abort the whole export.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith(_FORMULA_TRIGGERS):
        return "'" + text
    return text


def build_workbook(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_title: str = "Sheet1"
) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    # Excel refuses these characters in a sheet's name (a chart titled "专利:逐月", say).
    sheet.title = re.sub(r"[\\/?*\[\]:：]", " ", str(sheet_title)).strip()[:31] or "Sheet1"
    sheet.append([safe_cell(str(header)) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F0FB")
    widths = [max(8, len(str(h)) * 2) for h in headers]
    for row in rows:
        values = [safe_cell(value) for value in row]
        for index, value in enumerate(values):
            widths[index] = min(60, max(widths[index], len(str(value)) + 2))
        sheet.append(values)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    stamped = f"{filename}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(stamped)}"
    return response


def export_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_title: str = "Sheet1"
) -> HttpResponse:
    return xlsx_response(filename, build_workbook(headers, rows, sheet_title=sheet_title))
