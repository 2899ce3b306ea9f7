"""Import of a control list from Excel (.xlsx) or CSV: each upload is the list's next version.

All or nothing, unlike the people import: a row left out of a new version deactivates its
entry, so a row skipped for a typo would quietly take a fugitive off the list. A file with any
problem changes nothing; the report names the row, the column and the problem.

The ID number is validated (15 digits are converted to 18) and only its keyed hash is stored.
Nothing read from the file is logged or written to the audit trail, only counts.
"""

import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import Role
from waiban.core.audit import audit_record
from waiban.core.crypto import blind_index
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.spreadsheets import Column, cell_text
from waiban.people.idnumber import IdNumberError, parse_id_number
from waiban.watchlists.models import ControlList, EntryChange, ListEntry, ListImport, ListKind
from waiban.watchlists.names import clean, has_cjk, pinyin_key, with_birth, zh_key

MAX_ROWS = 200_000
LIST_MANAGER_ROLES = {Role.REVIEWER, Role.SUPERVISOR}


COLUMNS = [
    Column("name", "姓名", required=True),
    Column("birth_date", "出生日期"),
    Column("id_number", "身份证号"),
    Column("note", "备注"),
    Column("source", "来源"),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADER_WORDS = {"name": {"名字", "name_zh"}, "id_number": {"身份证号码", "证件号码"}}

INSTRUCTIONS = [
    gettext_lazy("One person per row on the first sheet, from row 2; row 1 holds the headers."),
    gettext_lazy("Name: as written in the source, Chinese (simplified or traditional) or pinyin."),
    gettext_lazy(
        "ID number: 18 characters or 15 digits; only a keyed hash is stored. Without an ID "
        "number, a birth date is needed for the entry to match anybody."
    ),
    gettext_lazy(
        "Each upload is the complete new version of the list: people left out are deactivated."
    ),
]


@dataclass
class RowProblem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # the header as it stands in the file ("" for the whole row)
    message: str


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
class _Row:
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


class _FileRejected(Exception):
    pass


# --- reading -------------------------------------------------------------------------------


def _content(file) -> bytes:
    size = getattr(file, "size", None)
    if size and size > settings.UPLOAD_MAX_BYTES:
        raise _FileRejected(
            _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"size": size / 1048576, "limit": settings.UPLOAD_MAX_BYTES / 1048576}
        )
    file.seek(0)
    content = file.read()
    if not content:
        raise _FileRejected(_("The file is empty."))
    return content


def _xlsx_rows(content: bytes):
    import openpyxl

    not_excel = _("This file is neither an Excel workbook (.xlsx) nor a CSV file.")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise _FileRejected(not_excel) from exc
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; none may be a 500
        raise _FileRejected(not_excel) from exc
    try:
        return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _csv_rows(content: bytes):
    for encoding in ("utf-8-sig", "gb18030"):  # Excel and WPS save Chinese CSV as GBK
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _FileRejected(_("The CSV file is neither UTF-8 nor GBK text."))
    if "\x00" in text:
        raise _FileRejected(_("This file is neither an Excel workbook (.xlsx) nor a CSV file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def read_rows(file) -> list[list]:
    content = _content(file)
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _FileRejected(
            _(
                "This is an old-style Excel file (.xls). Save it as an Excel workbook (.xlsx) "
                "or as CSV, and upload the new file."
            )
        )
    if content[:4] == b"PK\x03\x04":
        return _xlsx_rows(content)
    return _csv_rows(content)


def _header_key(text) -> str | None:
    if text is None:
        return None
    cleaned = str(text).replace("*", "").replace("＊", "").strip()
    parts = {p.strip().lower() for p in cleaned.replace("\n", "/").split("/")} | {cleaned.lower()}
    for column in COLUMNS:
        if parts & ({column.key, column.zh} | HEADER_WORDS.get(column.key, set())):
            return column.key
    return None


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


# --- checking the rows ---------------------------------------------------------------------


def _parse(table: list[list], *, default_source: str, report: ImportReport) -> list[_Row]:
    if not table or not any(cell_text(c) for c in table[0]):
        raise _FileRejected(_("Row 1 must hold the column headers; the first sheet is empty."))
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, cell in enumerate(table[0]):
        key = _header_key(cell)
        if key and key not in positions:
            positions[key] = index
            headers[key] = str(cell).strip()
    if "name" not in positions:
        raise _FileRejected(
            _("Row 1 must hold the column headers; the name column (%(header)s) is missing.")
            % {"header": COLUMN_BY_KEY["name"].header}
        )
    if "id_number" not in positions and "birth_date" not in positions:
        raise _FileRejected(
            _("The file needs an ID number column or a birth date column (or both).")
        )
    body = [
        (n, cells) for n, cells in enumerate(table[1:], start=2) if any(cell_text(c) for c in cells)
    ]
    if not body:
        raise _FileRejected(_("The file has no entries: fill in rows from row 2 on."))
    if len(body) > MAX_ROWS:
        raise _FileRejected(
            _("The file has more than %(max)d rows; please split the list.") % {"max": MAX_ROWS}
        )

    rows: list[_Row] = []
    first_row: dict[str, int] = {}
    for row_number, cells in body:
        values = {k: cells[i] if i < len(cells) else None for k, i in positions.items()}
        row = _parse_row(row_number, values, headers, default_source, report)
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


def _parse_row(row_number, values, headers, default_source, report) -> _Row | None:
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
            birth = _date(values.get("birth_date"))
        except ValueError:
            error(
                "birth_date",
                _("“%(value)s” is not a date we can read; write it as 1980-01-31.")
                % {"value": cell_text(values.get("birth_date"))},
            )

    id_hash = ""
    raw_id = values.get("id_number")
    if (
        isinstance(raw_id, float | int)
        and not isinstance(raw_id, bool)
        and len(cell_text(raw_id)) > 15
    ):
        error(
            "id_number",
            _(
                "Excel stored the ID number as a number and rounded its last digits. Format the "
                "column as Text and type the number again."
            ),
        )
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
    return _Row(
        row=row_number,
        name=name,
        birth_date=birth,
        id_hash=id_hash,
        note=cell_text(values.get("note")),
        source=(cell_text(values.get("source")) or default_source)[:200],
        zh_key=zh_key(name)[:100],
        pinyin_key=pinyin_key(name)[:200],  # with the birth date they stay within the columns
    )


# --- the service ---------------------------------------------------------------------------


def check_list_manager(actor, control_list=None):
    if actor.role not in LIST_MANAGER_ROLES or not actor.authority_id:
        raise PermissionDenied(
            "not_list_manager", _("Only the office's reviewers and supervisors manage lists.")
        )
    if control_list is not None and control_list.authority_id != actor.authority_id:
        raise PermissionDenied(
            "not_list_manager", _("Only the office that keeps a list can import it.")
        )


def control_list_import(
    *,
    actor,
    file,
    control_list: ControlList | None = None,
    kind: str = "",
    name: str = "",
    default_source: str = "",
    rescreen: bool = True,
) -> ImportReport:
    """Import ``file`` as the next version of ``control_list`` (or of a new list ``kind``/
    ``name``), then screen every case not yet closed again. Returns the row-by-row report."""
    check_list_manager(actor, control_list)
    if control_list is None:
        name = (name or "").strip()
        if kind not in ListKind.values or not name:
            raise ServiceError("list_kind_name_required", _("Choose the kind and name the list."))
        if ControlList.objects.filter(authority_id=actor.authority_id, name=name).exists():
            raise ServiceError(
                "list_name_taken", _("A list of that name exists already."), field="name"
            )
    report = ImportReport()
    try:
        table = read_rows(file)
        rows = _parse(table, default_source=(default_source or "").strip(), report=report)
    except _FileRejected as exc:
        report.file_error = str(exc)
        return report
    if report.errors:
        return report
    file.seek(0)
    digest = hashlib.sha256(file.read()).hexdigest()
    with transaction.atomic():
        if control_list is None:
            control_list = ControlList.objects.create(
                authority_id=actor.authority_id, kind=kind, name=name, created_by=actor
            )
            audit_record(
                actor=actor,
                action="watchlists.list_create",
                obj=control_list,
                new={"kind": kind, "name": name},
            )
        report.list_import = _apply(
            actor=actor,
            control_list=control_list,
            rows=rows,
            file_name=(getattr(file, "name", "") or "")[:200],
            digest=digest,
            total=report.rows,
        )
    if rescreen:
        report.new_hits = len(_rescreen(actor=actor))
    return report


def _rescreen(*, actor):
    from waiban.watchlists.screening import watchlist_rescreen

    return watchlist_rescreen(actor=actor)


CHUNK = 2000
MATCH_FIELDS = ("name", "birth_date", "note", "source")


def _apply(*, actor, control_list, rows, file_name, digest, total) -> ListImport:
    locked = ControlList.objects.select_for_update().get(pk=control_list.pk)
    locked.version += 1
    locked.save(update_fields=["version"])
    control_list.version = locked.version
    imp = ListImport.objects.create(
        control_list=locked,
        version=locked.version,
        file_name=file_name,
        file_sha256=digest,
        imported_by=actor,
        rows=total,
    )
    existing: dict[str, ListEntry] = {}
    identities = [r.identity for r in rows]
    for start in range(0, len(identities), CHUNK):
        for entry in ListEntry.objects.filter(
            control_list=locked, identity__in=identities[start : start + CHUNK]
        ).only("id", "identity", "is_active", *MATCH_FIELDS):
            existing[entry.identity] = entry

    created, changed, unchanged_ids, changes = [], [], [], []
    for row in rows:
        entry = existing.get(row.identity)
        if entry is None:
            created.append(
                ListEntry(
                    control_list=locked,
                    name=row.name,
                    birth_date=row.birth_date,
                    id_number_hash=row.id_hash,
                    zh_birth_key=with_birth(row.zh_key, row.birth_date),
                    pinyin_birth_key=with_birth(row.pinyin_key, row.birth_date),
                    identity=row.identity,
                    note=row.note,
                    source=row.source,
                    added_in=imp,
                    last_seen_in=imp,
                )
            )
            continue
        new = {"name": row.name, "birth_date": row.birth_date, "note": row.note}
        new["source"] = row.source
        differs = any(getattr(entry, k) != v for k, v in new.items())
        if entry.is_active and not differs:
            unchanged_ids.append(entry.pk)
            continue
        kind = EntryChange.Change.UPDATED if entry.is_active else EntryChange.Change.RESTORED
        for key, value in new.items():
            setattr(entry, key, value)
        entry.zh_birth_key = with_birth(row.zh_key, row.birth_date)
        entry.pinyin_birth_key = with_birth(row.pinyin_key, row.birth_date)
        entry.is_active, entry.removed_in, entry.last_seen_in = True, None, imp
        changed.append(entry)
        changes.append(EntryChange(entry=entry, list_import=imp, change=kind))

    ListEntry.objects.bulk_create(created, batch_size=CHUNK)
    changes.extend(
        EntryChange(entry=e, list_import=imp, change=EntryChange.Change.ADDED) for e in created
    )
    ListEntry.objects.bulk_update(
        changed,
        [
            *MATCH_FIELDS,
            "zh_birth_key",
            "pinyin_birth_key",
            "is_active",
            "removed_in",
            "last_seen_in",
        ],
        batch_size=CHUNK,
    )
    for start in range(0, len(unchanged_ids), CHUNK):
        ListEntry.objects.filter(pk__in=unchanged_ids[start : start + CHUNK]).update(
            last_seen_in=imp
        )
    # Not in this version: deactivated, never deleted (hits and history point at them).
    gone = list(
        ListEntry.objects.filter(control_list=locked, is_active=True)
        .exclude(last_seen_in=imp)
        .values_list("pk", flat=True)
    )
    for start in range(0, len(gone), CHUNK):
        ListEntry.objects.filter(pk__in=gone[start : start + CHUNK]).update(
            is_active=False, removed_in=imp
        )
    changes.extend(
        EntryChange(entry_id=pk, list_import=imp, change=EntryChange.Change.DEACTIVATED)
        for pk in gone
    )
    EntryChange.objects.bulk_create(changes, batch_size=CHUNK)

    imp.added = len(created)
    imp.restored = sum(c.change == EntryChange.Change.RESTORED for c in changes)
    imp.updated = sum(c.change == EntryChange.Change.UPDATED for c in changes)
    imp.unchanged = len(unchanged_ids)
    imp.deactivated = len(gone)
    imp.save(update_fields=["added", "restored", "updated", "unchanged", "deactivated"])
    audit_record(
        actor=actor,
        action="watchlists.list_import",
        obj=imp,
        new={
            "control_list": locked.pk,
            "version": imp.version,
            "file_name": imp.file_name,
            "file_sha256": digest,
            "rows": total,
            "added": imp.added,
            "restored": imp.restored,
            "updated": imp.updated,
            "unchanged": imp.unchanged,
            "deactivated": imp.deactivated,
        },
    )
    return imp


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
