"""What the spreadsheet imports (people, control lists) share: reading the uploaded file, finding
the columns by their headers, and reading a cell as text or as a date.

Nothing read from a file is logged: the sheets carry ID numbers and other personal data.
"""

import csv
import datetime as dt
import io
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.core.uploads import upload_size_problem, zip_unpacked_problem

OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2, the container of .xls
XLSX_MAGIC = b"PK\x03\x04"  # a zip archive, as every .xlsx is
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")

ROUNDED_ID_NUMBER = gettext_lazy(
    "Excel stored the ID number as a number and rounded its last digits. Format the "
    "column as Text and type the number again."
)


class FileRejected(Exception):
    """The upload cannot be imported at all; the message tells the clerk why."""


@dataclass(frozen=True)
class Column:
    key: str  # the field it fills, also the English name in the header
    zh: str
    required: bool = False

    @property
    def header(self) -> str:
        """``姓名* / name_zh``: clerks read the Chinese, the importer also accepts the English."""
        return f"{self.zh}{'*' if self.required else ''} / {self.key}"


@dataclass
class RowProblem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # the header as it stands in the file ("" for the whole row)
    message: str


# --- the file -------------------------------------------------------------------------------


def upload_content(file) -> bytes:
    """The bytes of an upload within the size limit; an empty file is refused."""
    problem = upload_size_problem(getattr(file, "size", None))
    if problem:
        raise FileRejected(problem[1])
    file.seek(0)
    content = file.read()
    if not content:
        raise FileRejected(_("The file is empty."))
    return content


@contextmanager
def upload_rows(file, *, old_excel: str, not_readable: str, allow_csv: bool = False):
    """The rows (tuples of cell values) of an uploaded workbook's first sheet, read as they are
    iterated, or with ``allow_csv`` those of a CSV file. The type is told by the content, never
    by the file name; ``old_excel`` and ``not_readable`` are the importer's own refusals."""
    content = upload_content(file)
    if content[:8] == OLD_EXCEL_MAGIC:
        raise FileRejected(old_excel)
    if content[:4] == XLSX_MAGIC:
        problem = zip_unpacked_problem(content)
        if problem:
            raise FileRejected(problem[1])
        workbook = _load_workbook(content, not_readable)
        try:
            sheet = workbook.worksheets[0]
            _check_declared_size(sheet)
            yield _counted(sheet.iter_rows(values_only=True))
        finally:
            workbook.close()
    elif allow_csv:
        yield _counted(iter(_csv_rows(content, not_readable)))
    else:
        raise FileRejected(not_readable)


def _too_many_rows() -> FileRejected:
    return FileRejected(
        _("The sheet has more than %(max)d rows; please split it into several files.")
        % {"max": settings.SPREADSHEET_MAX_ROWS}
    )


def _check_declared_size(sheet) -> None:
    """Refuse a sheet whose own dimension (``A1:XFD1048576``) is beyond the limits before a
    single row is read; a sheet without one is held to the limit as it is read (_counted)."""
    try:
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
    except Exception:  # a damaged dimension tells nothing: the rows are counted anyway
        return
    if rows > settings.SPREADSHEET_MAX_ROWS + 1:
        raise _too_many_rows()
    if columns > settings.SPREADSHEET_MAX_COLUMNS:
        raise FileRejected(
            _("The sheet has %(count)d columns; at most %(max)d are read. Delete the empty ones.")
            % {"count": columns, "max": settings.SPREADSHEET_MAX_COLUMNS}
        )


def _counted(rows):
    """The rows, refusing the file at the first row past the limit (header included); cells
    past the column limit are dropped (no importer has that many columns)."""
    columns = settings.SPREADSHEET_MAX_COLUMNS
    for number, row in enumerate(rows, start=1):
        if number > settings.SPREADSHEET_MAX_ROWS + 1:
            raise _too_many_rows()
        yield row[:columns] if len(row) > columns else row


def _load_workbook(content: bytes, not_readable: str):
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileRejected(not_readable) from exc
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; none may be a 500
        raise FileRejected(not_readable) from exc


def _csv_rows(content: bytes, not_readable: str) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel and WPS save Chinese CSV as GBK
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRejected(_("The CSV file is neither UTF-8 nor GBK text."))
    if "\x00" in text:
        raise FileRejected(not_readable)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


# --- writing a workbook --------------------------------------------------------------------

# A cell whose text starts with one of these is taken by Excel/WPS for a formula (or, after a
# tab or line break, by a CSV round trip): a person named ``=HYPERLINK(...)`` must stay text.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def workbook_bytes(workbook) -> bytes:
    """The saved .xlsx of ``workbook``, every cell that would start a formula made plain text.

    Every workbook the app hands out goes through here (a test holds the code to it): our
    exports hold data, never formulas, so nothing typed by a user can become one. The text is
    kept as typed; the cell is stored as a string with Excel's quote prefix, which also keeps it
    text when someone edits it."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_LEADS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_bytes(workbook, instructions) -> bytes:
    """A downloadable template: ``workbook`` with an instructions sheet after the data sheet
    (the importers read only the first sheet, so the notes are never taken for data)."""
    notes = workbook.create_sheet("说明 Instructions")
    notes.column_dimensions["A"].width = 100
    for index, line in enumerate(instructions, start=1):
        notes.cell(row=index, column=1, value=str(line))
    return workbook_bytes(workbook)


# --- the header row -------------------------------------------------------------------------


def _plain_brackets(text: str) -> str:
    return text.replace("（", "(").replace("）", ")")


def header_key(text, columns, aliases=None) -> str | None:
    """Which column a header cell names: by its Chinese or English part or an alias, with or
    without '*', in either kind of brackets."""
    if text is None:
        return None
    cleaned = str(text).replace("*", "").replace("＊", "").strip()
    parts = {p.strip().lower() for p in cleaned.replace("\n", "/").split("/")} | {cleaned.lower()}
    plain_parts = {_plain_brackets(p) for p in parts}
    for column in columns:
        names = {column.key, column.zh.lower(), *(aliases or {}).get(column.key, ())}
        if parts & names or _plain_brackets(column.zh.lower()) in plain_parts:
            return column.key
    return None


def column_positions(header, columns, aliases=None) -> tuple[dict[str, int], dict[str, str]]:
    """Where each known column stands in the header row, and its header as the file writes it
    (for the report). Of two cells naming the same column, the first counts."""
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, cell in enumerate(header):
        key = header_key(cell, columns, aliases)
        if key and key not in positions:
            positions[key] = index
            headers[key] = str(cell).strip()
    return positions, headers


def row_values(cells, positions: dict[str, int]) -> dict:
    """The cells of one row by column key (a short row leaves the rest None)."""
    return {key: cells[i] if i < len(cells) else None for key, i in positions.items()}


# --- the cells ------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as the clerk typed it: Excel turns ``13800138000`` into ``13800138000.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_date(value) -> dt.date | None:
    """A date cell, or a date typed as text in one of the usual ways; None for an empty cell.

    Raises ValueError, with the message for the clerk, for text that is no date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a date we can read; write it as 1980-01-31.") % {"value": text}
    )


def typed_as_long_number(value) -> bool:
    """A number of more than 15 digits in a number cell: Excel keeps 15 significant digits, so
    an ID number typed that way has already lost its last ones (ROUNDED_ID_NUMBER)."""
    return (
        isinstance(value, float | int)
        and not isinstance(value, bool)
        and len(cell_text(value)) > 15
    )
