"""The .xlsx template a list manager downloads and fills in."""

import io

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
    notes = workbook.create_sheet("说明 Instructions")
    notes.column_dimensions["A"].width = 100
    for index, line in enumerate(INSTRUCTIONS, start=1):
        notes.cell(row=index, column=1, value=str(line))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
