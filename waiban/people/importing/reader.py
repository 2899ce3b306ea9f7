"""Bulk import of a unit's people from an Excel sheet (.xlsx).

Each row goes through the same PersonForm as the web page and is saved by ``person_create``, so
validation and the audit trail are the same as for one person typed in. Each row is its own
transaction: a bad row is reported and skipped, a good row is saved whole.

Nothing read from the sheet is logged: ID numbers and phones are personal data (DESIGN.md §5).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import Role
from waiban.core.crypto import blind_index
from waiban.core.errors import PermissionDenied, ServiceError
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
from waiban.people.forms import PersonForm
from waiban.people.idnumber import IdNumberError, parse_id_number
from waiban.people.importing.columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    EXAMPLE_ID,
    MAX_ROWS,
    NO_WORDS,
    RANK_WORDS,
    SECRET_WORDS,
    SEX_WORDS,
    YES_NO_KEYS,
    YES_WORDS,
)
from waiban.people.models import Person, Rank, SecretLevel, Sex


@dataclass
class ImportReport:
    file_error: str = ""
    created: list[tuple[int, Person]] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> list[int]:
        return sorted({p.row for p in self.errors})

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors


# --- reading the file -----------------------------------------------------------------------

OLD_EXCEL = gettext_lazy(
    "This is an old-style Excel file (.xls). Open it in Excel or WPS, choose "
    "“Save as” → “Excel workbook (.xlsx)”, and upload the new file."
)
NOT_EXCEL = gettext_lazy(
    "This file is not an Excel workbook (.xlsx), whatever its name says. Please download "
    "the template from this page, fill it in and upload it."
)


# --- turning one row into form data ---------------------------------------------------------


def _lookup(value: str, words: dict, choices) -> str | None:
    """The stored code for what the clerk wrote: the Chinese word, the code, or the label."""
    wanted = value.strip().lower()
    for code, word in words.items():
        if wanted in {word.lower(), str(code).lower()}:
            return code
    for code, label in choices:
        if wanted == str(label).lower():
            return code
    return None


def _id_number_text(value, problems: dict) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = cell_text(value)
        # A fraction is no ID number either: the cell was typed as a number.
        if typed_as_long_number(value) or (isinstance(value, float) and not value.is_integer()):
            problems["id_number"] = str(ROUNDED_ID_NUMBER)
        return number
    return cell_text(value)


def _date_text(value, problems: dict) -> str:
    try:
        date = cell_date(value)
    except ValueError as exc:
        problems["birth_date"] = str(exc)
        return ""
    return date.isoformat() if date else ""


def _row_data(values: dict) -> tuple[dict, dict]:
    """Form data for PersonForm from the raw cells, and the problems found while converting."""
    problems: dict[str, str] = {}
    data = {key: cell_text(values.get(key)) for key in COLUMN_BY_KEY}
    data["id_number"] = _id_number_text(values.get("id_number"), problems)
    data["birth_date"] = _date_text(values.get("birth_date"), problems)
    data["phone"] = cell_text(values.get("phone"))

    for key, words, choices in (
        ("sex", SEX_WORDS, Sex.choices),
        ("rank", RANK_WORDS, Rank.choices),
        ("secret_level", SECRET_WORDS, SecretLevel.choices),
    ):
        if not data[key]:
            continue
        code = _lookup(data[key], words, choices)
        if code is None:
            problems[key] = _("“%(value)s” is not one of: %(allowed)s.") % {
                "value": data[key],
                "allowed": "、".join(words.values()),
            }
            data[key] = ""
        else:
            data[key] = code
    if not data["secret_level"] and "secret_level" not in problems:
        data["secret_level"] = SecretLevel.NONE

    for key in YES_NO_KEYS:
        answer = data[key].lower()
        if answer in YES_WORDS:
            data[key] = "on"
        elif answer not in NO_WORDS:
            problems[key] = _("Write 是 (yes) or 否 (no).")
            data[key] = ""
        else:
            data[key] = ""

    # Birth date and sex may be left out: the ID number carries both.
    missing_from_id = [k for k in ("birth_date", "sex") if not data[k] and k not in problems]
    if missing_from_id:
        try:
            info = parse_id_number(data["id_number"])
        except IdNumberError:
            info = None
        if info:
            if not data["birth_date"]:
                data["birth_date"] = info.birth_date.isoformat()
            if not data["sex"]:
                data["sex"] = info.sex
    return data, problems


# --- the service ----------------------------------------------------------------------------


def _check_clerk_of(actor, unit):
    if actor.role != Role.UNIT_CLERK or actor.unit_id != unit.pk:
        raise PermissionDenied(
            "not_unit_clerk", _("Only the unit's clerk can import the unit's people.")
        )


def people_import(*, actor, unit, file) -> ImportReport:
    """Create one person per valid row of the uploaded sheet; report every invalid row.

    Each saved row goes through ``person_create`` (permission check and audit event); a row with
    any problem is not saved at all. Duplicate ID numbers within the file and ones already
    registered are reported on their row.
    """
    _check_clerk_of(actor, unit)
    report = ImportReport()
    try:
        with upload_rows(file, old_excel=str(OLD_EXCEL), not_readable=str(NOT_EXCEL)) as rows:
            _import_sheet(rows, actor=actor, unit=unit, report=report)
    except FileRejected as exc:
        report.file_error = str(exc)
    return report


def _import_sheet(rows, *, actor, unit, report: ImportReport):
    header = next(rows, None)
    if not header:
        raise FileRejected(_("The first sheet is empty: row 1 must hold the column headers."))
    positions, headers = column_positions(header, COLUMNS)
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise FileRejected(
            _(
                "Row 1 must hold the column headers of the template; these are missing: "
                "%(columns)s. Download the template again and copy your data into it."
            )
            % {"columns": "; ".join(missing)}
        )

    def header_of(key):
        return headers.get(key) or (COLUMN_BY_KEY[key].header if key in COLUMN_BY_KEY else "")

    # Read everything first: a sheet that is too long is refused before anything is saved.
    pending = []
    for row_number, cells in enumerate(rows, start=2):
        values = row_values(cells, positions)
        if all(cell_text(v) == "" for v in values.values()):
            continue
        if len(pending) >= MAX_ROWS:
            raise FileRejected(
                _("The sheet has more than %(max)d people; please split it into several files.")
                % {"max": MAX_ROWS}
            )
        pending.append((row_number, values))
    if not pending:
        raise FileRejected(_("The sheet has no people in it: fill in rows from row 2 on."))

    seen: dict[str, int] = {}  # blind index of an ID number -> first row carrying it
    for row_number, values in pending:
        _import_row(
            row_number,
            values,
            actor=actor,
            unit=unit,
            report=report,
            seen=seen,
            header_of=header_of,
        )


def _import_row(row_number, values, *, actor, unit, report, seen, header_of):
    def problem(key, message):
        report.errors.append(RowProblem(row_number, header_of(key) if key else "", message))

    errors_before = len(report.errors)
    data, problems = _row_data(values)
    form = PersonForm(data=data)
    form_ok = form.is_valid()
    number = form.cleaned_data.get("id_number") if "id_number" not in form.errors else None
    if number == EXAMPLE_ID:
        report.skipped.append(
            RowProblem(row_number, "", _("The example row of the template was skipped."))
        )
        return

    for key, message in problems.items():
        problem(key, message)
    id_bad = "id_number" in form.errors or "id_number" in problems
    for key, messages in form.errors.items():
        if key in problems:
            continue  # already explained in the clerk's own terms
        # With a bad ID number, missing birth date/sex are a consequence, not a second mistake.
        if id_bad and key in ("birth_date", "sex") and not cell_text(values.get(key)):
            continue
        for message in messages:
            problem(key if key != "__all__" else None, message)

    if number:
        digest = blind_index(number)
        if digest in seen:
            problem(
                "id_number",
                _("The same ID number is already on row %(row)d of this file.")
                % {"row": seen[digest]},
            )
        else:
            seen[digest] = row_number
            existing = Person.objects.filter(id_number_hash=digest).first()
            if existing and existing.unit_id == unit.pk:
                problem(
                    "id_number",
                    _("This person is already in your unit's list (%(name)s).")
                    % {"name": existing.name_zh},
                )
            elif existing:
                problem(
                    "id_number",
                    _(
                        "This ID number is already registered by another unit. Ask the office "
                        "to move the person to your unit."
                    ),
                )

    if not form_ok or len(report.errors) > errors_before:
        return
    try:
        with transaction.atomic():
            person = _create(actor=actor, unit=unit, data=form.cleaned_data)
    except ServiceError as exc:
        problem(exc.field if exc.field in COLUMN_BY_KEY else None, exc.message)
        return
    report.created.append((row_number, person))
    for warning in form.id_warnings:
        report.warnings.append(RowProblem(row_number, header_of("id_number"), warning))


def _create(*, actor, unit, data):
    from waiban.people.services import person_create

    return person_create(actor=actor, unit=unit, data=data)
