"""The clerk's list and the workbench export to Excel what the page shows, every page of it,
with its filters; a formula in a title stays text."""

import io

import openpyxl
import pytest
from django.urls import reverse

from waiban.testing.factories import DelegationFactory

pytestmark = pytest.mark.django_db


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_clerks_export_follows_the_filter_and_keeps_formulas_as_text(client, unit, clerk):
    DelegationFactory(unit=unit, created_by=clerk, title='=HYPERLINK("http://x","x")')
    for _ in range(30):  # more than one page
        DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    client.force_login(clerk)
    page = client.get(reverse("visits:list"), {"state": "pre_review"}).content.decode()
    assert "state=pre_review&amp;format=xlsx" in page
    rows = _sheet(client.get(reverse("visits:list"), {"state": "pre_review", "format": "xlsx"}))
    assert len(rows) == 31  # the header and every submitted case, not one page of them
    everything = _sheet(client.get(reverse("visits:list"), {"format": "xlsx"}))
    formula = next(r for r in everything if str(r[1]).startswith("=HYPERLINK"))
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("visits:list"), {"format": "xlsx"}).content)
    )
    cell = next(c for c in book.active["B"] if c.value == formula[1])
    assert cell.data_type == "s" and cell.quotePrefix


def test_the_workbench_exports_its_queue(client, unit, clerk, staff):
    for _ in range(3):
        DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    DelegationFactory(unit=unit, created_by=clerk, under_review=True)
    client.force_login(staff["window_clerk"])
    rows = _sheet(client.get(reverse("visits:workbench"), {"format": "xlsx"}))
    assert len(rows) == 4
