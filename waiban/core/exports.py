"""Lists as Excel workbooks, with the filters of the page applied. Saved through
``spreadsheets.workbook_bytes``: a cell that starts like a formula stays text."""

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from waiban.core.spreadsheets import workbook_bytes

EXPORT_ROW_CAP = 10_000  # a list beyond that is a statistic: the statistics pages export it
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet, row, column, value):
    if value is not None and not isinstance(value, (str, int, float, Decimal, dt.date)):
        value = str(value)  # lazy translations, countries: as they read
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, dt.date):
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
    return workbook_bytes(book)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
