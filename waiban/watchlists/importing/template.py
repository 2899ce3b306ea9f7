"""The .xlsx template a list manager downloads and fills in."""

from waiban.core.spreadsheets import template_bytes
from waiban.watchlists.importing.columns import COLUMNS, INSTRUCTIONS


def import_template() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单 List"
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        letter = "ABCDE"[index - 1]
        sheet.column_dimensions[letter].width = 24
        if column.key == "id_number":
            sheet.column_dimensions[letter].number_format = "@"
    return template_bytes(workbook, INSTRUCTIONS)
