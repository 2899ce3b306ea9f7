"""Bulk import of a unit's people from an Excel sheet: columns, reader, template."""

from waiban.people.importing.columns import COLUMNS, EXAMPLE_ID, MAX_ROWS
from waiban.people.importing.reader import ImportReport, RowProblem, people_import
from waiban.people.importing.template import import_template

__all__ = [
    "COLUMNS",
    "EXAMPLE_ID",
    "MAX_ROWS",
    "ImportReport",
    "RowProblem",
    "import_template",
    "people_import",
]
