"""The people list and the control-list hits export to Excel, personal numbers masked."""

import io

import openpyxl
import pytest
from django.urls import reverse

from waiban.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_people_export_masks_id_and_phone_and_follows_the_search(client, unit, clerk):
    wanted = PersonFactory(unit=unit, name_zh="单雪梅", phone="13912345678")
    PersonFactory(unit=unit, name_zh="王芳")
    client.force_login(clerk)
    rows = _rows(client.get(reverse("people:list"), {"q": "单雪梅", "format": "xlsx"}))
    assert len(rows) == 2 and rows[1][0] == "单雪梅"
    flat = " ".join(str(v) for v in rows[1])
    assert wanted.id_number not in flat and "13912345678" not in flat


def test_the_hits_export_is_the_offices(client, unit, clerk, staff):
    client.force_login(staff["reviewer"])
    rows = _rows(client.get(reverse("watchlists:hits"), {"status": "all", "format": "xlsx"}))
    assert len(rows) == 1  # the header: no hits yet
    client.force_login(clerk)
    response = client.get(reverse("watchlists:hits"), {"format": "xlsx"})
    assert response.status_code in (302, 403, 404)
