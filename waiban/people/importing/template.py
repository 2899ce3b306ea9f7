"""The .xlsx template a clerk downloads and fills in."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.core.spreadsheets import template_bytes
from waiban.people.importing.columns import (
    COLUMNS,
    EXAMPLE_ROW,
    MAX_ROWS,
    RANK_WORDS,
    SECRET_WORDS,
    SEX_WORDS,
    YES_NO_KEYS,
)

INSTRUCTIONS = [
    gettext_lazy("Fill in one person per row on the first sheet, starting at row 2."),
    gettext_lazy("Columns marked * are required. Do not change the header row."),
    gettext_lazy(
        "Replace the example row (单雪梅) with your own data; if left in place it is skipped."
    ),
    gettext_lazy("ID number: 18 characters, or 15 digits for old cards (converted automatically)."),
    gettext_lazy("Sex and birth date may be left empty: they are taken from the ID number."),
    gettext_lazy("Rank, secret-related level, sex: choose from the drop-down list."),
    gettext_lazy("Secret-related level left empty means not secret-related (非涉密)."),
    gettext_lazy(
        "领导班子成员: 是 for the members of the unit's leadership team, otherwise 否 or empty."
    ),
    gettext_lazy(
        "Pinyin left empty is suggested from the Chinese name; check special surname readings."
    ),
]


def import_template() -> bytes:
    """The .xlsx a clerk fills in: header row, one example row, drop-down lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "人员 People"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = bold
        cell.fill = fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 6)
        value = EXAMPLE_ROW[column.key]
        example = sheet.cell(row=2, column=index, value=value)
        if column.key in ("id_number", "phone"):
            # Text, so Excel does not round an 18-digit number or drop leading zeros.
            sheet.column_dimensions[letter].number_format = "@"
            example.number_format = "@"
        if column.key == "birth_date":
            example.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"

    lists = {
        "sex": SEX_WORDS.values(),
        "rank": RANK_WORDS.values(),
        "secret_level": SECRET_WORDS.values(),
        **{key: ["是", "否"] for key in YES_NO_KEYS},
    }
    for key, words in lists.items():
        letter = get_column_letter([c.key for c in COLUMNS].index(key) + 1)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(words) + '"', allow_blank=True
        )
        validation.error = str(_("Choose a value from the list."))
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")

    return template_bytes(workbook, INSTRUCTIONS)
