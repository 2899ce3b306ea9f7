"""A list of cases as the Excel workbook of what the page shows, every page of it (with the
page's filters and order), up to EXPORT_ROW_CAP rows."""

from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.core.exports import EXPORT_ROW_CAP, table_workbook, xlsx_response
from waiban.visits.models import Delegation
from waiban.visits.selectors import list_values
from waiban.visits.states import State


def cases_export(queryset, sort, *, name: str):
    key = sort.expression(Delegation)
    ordered = queryset.order_by(key.desc() if sort.descending else key.asc(), "pk")
    rows = list_values(ordered)[:EXPORT_ROW_CAP]
    headers = [
        _("Case number"),
        _("Title"),
        _("Unit"),
        _("Leader"),
        _("Members"),
        _("Departure"),
        _("State"),
        _("The office's time limit"),
    ]
    content = table_workbook(
        title=name,
        headers=headers,
        rows=(
            [
                row["case_number"] or "",
                row["title"],
                row["unit__name"],
                row["leader__name_zh"] or "",
                row["member_count"],
                row["departure_date"],
                State(row["state"]).label,
                row["deadline"],
            ]
            for row in rows
        ),
    )
    return xlsx_response(content, f"{name}-{timezone.localdate():%Y%m%d}.xlsx")
