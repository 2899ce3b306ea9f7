"""Lists as Excel workbooks, with the filters of the page applied.

A cell that starts like a formula (=, +, -, @, a tab or a carriage return) is written as text
with the quote prefix (openpyxl's ``quotePrefix``), so a name such as
``=HYPERLINK(...)`` stays a name in Excel instead of becoming a live formula."""

import datetime as dt
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_ROW_CAP = 10_000  # a list beyond that is a statistic: the statistics pages export it
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet, row, column, value):
    if value is not None and not isinstance(value, (str, int, float, Decimal, dt.date)):
        value = str(value)  # lazy translations, countries: as they read
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def table_workbook(*, title: str, headers: list, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    for column, header in enumerate(headers, start=1):
        _cell(sheet, 1, column, str(header)).font = Font(bold=True)
    for index, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            _cell(sheet, index, column, value)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
