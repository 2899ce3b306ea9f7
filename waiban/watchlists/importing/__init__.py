"""Import of a control list from Excel (.xlsx) or CSV: each upload is the list's next version.

All or nothing, unlike the people import: a row left out of a new version deactivates its
entry, so a row skipped for a typo would quietly take a fugitive off the list. A file with any
problem changes nothing; the report names the row, the column and the problem.

The ID number is validated (15 digits are converted to 18) and only its keyed hash is stored.
Nothing read from the file is logged or written to the audit trail, only counts.
"""

from waiban.watchlists.importing.columns import COLUMNS, MAX_ROWS
from waiban.watchlists.importing.rows import ImportReport, RowProblem, read_rows
from waiban.watchlists.importing.service import (
    LIST_MANAGER_ROLES,
    check_list_manager,
    control_list_import,
)
from waiban.watchlists.importing.template import import_template

__all__ = [
    "COLUMNS",
    "LIST_MANAGER_ROLES",
    "MAX_ROWS",
    "ImportReport",
    "RowProblem",
    "check_list_manager",
    "control_list_import",
    "import_template",
    "read_rows",
]
