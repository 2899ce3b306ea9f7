"""The custody view as an Excel workbook (openpyxl), numbers masked."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from waiban.core.spreadsheets import workbook_bytes

FILLS = {"danger": "F8D7DA", "warning": "FFF3CD"}


def custody_workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Custody")
    sheet.append(
        [
            _("holder"),
            _("unit"),
            _("kind"),
            _("passport number"),
            _("expiry date"),
            _("status"),
            _("taken by"),
            _("trip"),
            _("due back"),
            _("days overdue"),
        ]
    )
    for row in rows:
        p, loan = row.passport, row.loan
        sheet.append(
            [
                p.person.name_zh,
                p.person.unit.name,
                p.get_kind_display(),
                p.number_masked,
                p.expiry_date,
                p.get_status_display(),
                loan.taken_by if loan else "",
                loan.delegation.case_number if loan else "",
                loan.due_date if loan else None,
                row.overdue_days or None,
            ]
        )
        if row.colour:
            fill = PatternFill("solid", fgColor=FILLS[row.colour])
            for cell in sheet[sheet.max_row]:
                cell.fill = fill
    return workbook_bytes(book)
