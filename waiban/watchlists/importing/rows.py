"""Reading a control list's file into checked rows: the report names each problem's row and
column. The ID number is validated (15 digits are converted to 18) and only its keyed hash kept.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.core.crypto import blind_index
from waiban.core.spreadsheets import (
    ROUNDED_ID_NUMBER,
    FileRejected,
    RowProblem,
    cell_date,
    cell_text,
    column_positions,
    row_values,
    typed_as_long_number,
    upload_rows,
)
from waiban.people.idnumber import IdNumberError, parse_id_number
from waiban.watchlists.importing.columns import COLUMN_BY_KEY, COLUMNS, HEADER_WORDS, MAX_ROWS
from waiban.watchlists.models import ListImport
from waiban.watchlists.names import clean, has_cjk, pinyin_key, zh_key

OLD_EXCEL = gettext_lazy(
    "This is an old-style Excel file (.xls). Save it as an Excel workbook (.xlsx) "
    "or as CSV, and upload the new file."
)
NOT_READABLE = gettext_lazy("This file is neither an Excel workbook (.xlsx) nor a CSV file.")


@dataclass
class ImportReport:
    file_error: str = ""
    rows: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    list_import: ListImport | None = None
    new_hits: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors


@dataclass
class ListRow:
    """One checked row of the file, as it becomes an entry of the list."""

    row: int
    name: str
    birth_date: dt.date | None
    id_hash: str
    note: str
    source: str
    zh_key: str
    pinyin_key: str

    @property
    def identity(self) -> str:
        if self.id_hash:
            return f"id:{self.id_hash}"
        digest = hashlib.sha256(
            f"{self.zh_key}|{self.pinyin_key}|{self.birth_date or ''}".encode()
        ).hexdigest()
        return f"nm:{digest}"


def read_rows(file) -> list[list]:
    """Every row of the uploaded workbook's first sheet or CSV file, as lists of cells."""
    with upload_rows(
        file, old_excel=str(OLD_EXCEL), not_readable=str(NOT_READABLE), allow_csv=True
    ) as rows:
        return [list(r) for r in rows]


def parse_table(table: list[list], *, default_source: str, report: ImportReport) -> list[ListRow]:
    """The rows worth importing, each identity once; every problem goes into ``report``."""
    if not table or not any(cell_text(c) for c in table[0]):
        raise FileRejected(_("Row 1 must hold the column headers; the first sheet is empty."))
    positions, headers = column_positions(table[0], COLUMNS, HEADER_WORDS)
    if "name" not in positions:
        raise FileRejected(
            _("Row 1 must hold the column headers; the name column (%(header)s) is missing.")
            % {"header": COLUMN_BY_KEY["name"].header}
        )
    if "id_number" not in positions and "birth_date" not in positions:
        raise FileRejected(
            _("The file needs an ID number column or a birth date column (or both).")
        )
    body = [
        (n, cells) for n, cells in enumerate(table[1:], start=2) if any(cell_text(c) for c in cells)
    ]
    if not body:
        raise FileRejected(_("The file has no entries: fill in rows from row 2 on."))
    if len(body) > MAX_ROWS:
        raise FileRejected(
            _("The file has more than %(max)d rows; please split the list.") % {"max": MAX_ROWS}
        )

    rows: list[ListRow] = []
    first_row: dict[str, int] = {}
    for row_number, cells in body:
        values = row_values(cells, positions)
        row = parse_row(row_number, values, headers, default_source, report)
        if row is None:
            continue
        earlier = first_row.get(row.identity)
        if earlier and row.id_hash:
            report.errors.append(
                RowProblem(
                    row_number,
                    headers["id_number"],
                    _("The same ID number is already on row %(row)d.") % {"row": earlier},
                )
            )
            continue
        if earlier:
            report.warnings.append(
                RowProblem(
                    row_number,
                    "",
                    _("Same name and birth date as row %(row)d: kept once.") % {"row": earlier},
                )
            )
            continue
        first_row[row.identity] = row_number
        rows.append(row)
    report.rows = len(body)
    return rows


def parse_row(row_number, values, headers, default_source, report) -> ListRow | None:
    errors_before = len(report.errors)

    def error(key, message):
        report.errors.append(RowProblem(row_number, headers.get(key, ""), message))

    name = clean(cell_text(values.get("name")))
    if not name:
        error("name", _("The name is missing."))
    elif len(name) > 100:
        error("name", _("The name is longer than 100 characters."))
    elif not has_cjk(name) and not any(c.isascii() and c.isalpha() for c in name):
        error("name", _("The name has neither Chinese characters nor Latin letters."))

    birth = None
    if cell_text(values.get("birth_date")):
        try:
            birth = cell_date(values.get("birth_date"))
        except ValueError as exc:
            error("birth_date", str(exc))

    id_hash = ""
    raw_id = values.get("id_number")
    if typed_as_long_number(raw_id):
        error("id_number", str(ROUNDED_ID_NUMBER))
    elif cell_text(raw_id):
        try:
            info = parse_id_number(cell_text(raw_id))
        except IdNumberError as exc:
            error("id_number", str(exc))
        else:
            id_hash = blind_index(info.number)
            for warning in info.warnings:
                report.warnings.append(RowProblem(row_number, headers["id_number"], warning))
            if birth and birth != info.birth_date:
                error(
                    "birth_date",
                    _("The birth date does not match the one inside the ID number (%(date)s).")
                    % {"date": info.birth_date.isoformat()},
                )
            birth = birth or info.birth_date

    if len(report.errors) > errors_before:
        return None
    if not id_hash and not birth:
        report.warnings.append(
            RowProblem(
                row_number,
                "",
                _("Neither an ID number nor a birth date: this entry cannot match anybody."),
            )
        )
    return ListRow(
        row=row_number,
        name=name,
        birth_date=birth,
        id_hash=id_hash,
        note=cell_text(values.get("note")),
        source=(cell_text(values.get("source")) or default_source)[:200],
        zh_key=zh_key(name)[:100],
        pinyin_key=pinyin_key(name)[:200],  # with the birth date they stay within the columns
    )
