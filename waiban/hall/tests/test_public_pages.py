import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.hall import ratelimit
from waiban.hall.booking import booking_create
from waiban.hall.catalogue import guide_version_create
from waiban.hall.models import ServiceFile, ServiceItem
from waiban.hall.tests.helpers import make_slot
from waiban.testing.factories import DelegationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_seeded_catalogue_is_listed_without_login(client):
    page = client.get(reverse("hall:index"))
    assert page.status_code == 200
    for code in ["official-visit", "passport", "visa", "legalisation", "apec-card"]:
        assert f'data-guide="{code}"' in page.content.decode()


def test_a_guide_shows_its_current_version_only(client):
    item = ServiceItem.objects.get(code="passport")
    guide_version_create(actor=None, item=item, name="Passports, revised", time_limit_days=3)
    page = client.get(reverse("hall:guide", args=["passport"]))
    text = page.content.decode()
    assert 'data-version="2"' in text and "Passports, revised" in text
    assert "3 working days" in text
    assert item.versions.count() == 2  # the first version stays


def test_an_unknown_or_unpublished_guide_is_a_404(client):
    ServiceItem.objects.filter(code="visa").update(published=False)
    assert client.get(reverse("hall:guide", args=["visa"])).status_code == 404
    assert client.get(reverse("hall:guide", args=["no-such-thing"])).status_code == 404
    assert client.get(reverse("hall:file", args=[999999])).status_code == 404


def test_a_template_is_downloaded_from_the_guide(client):
    item = ServiceItem.objects.get(code="legalisation")
    file = ServiceFile(item=item, title="申请表模板")
    file.file.save("form.docx", ContentFile(b"template bytes"))
    page = client.get(reverse("hall:guide", args=["legalisation"]))
    assert f'data-file="{file.pk}"' in page.content.decode()
    download = client.get(reverse("hall:file", args=[file.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"template bytes"


def test_public_pages_are_limited_per_address(client, monkeypatch):
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_800_000_000.0)  # all within one minute
    url = reverse("hall:guide", args=["visa"])
    codes = [
        client.get(url, REMOTE_ADDR="10.0.0.1").status_code
        for _ in range(ratelimit.PUBLIC_LIMIT + 1)
    ]
    assert codes[0] == 200 and codes[-1] == 429
    # Another address is not held back by the first one.
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_qr_link_checks_in_once_and_shows_the_number(client, clerk, unit, authority):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    booking = booking_create(actor=clerk, delegation=case, slot_id=make_slot(authority).pk)
    url = reverse("hall:check_in", args=[booking.token])
    assert client.get(url).status_code == 200
    page = client.post(url)
    assert 'data-testid="ticket">A-0001<' in page.content.decode()
    again = client.post(url)
    assert again.status_code == 200 and "A-0001" in again.content.decode()
    assert client.get(reverse("hall:check_in", args=["guessed-token"])).status_code == 404


def test_the_screen_shows_numbers_and_no_personal_data(client, clerk, unit, authority):
    from waiban.hall import queue
    from waiban.hall.booking import booking_check_in

    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True, title="机密团组")
    slot = make_slot(authority)
    booking = booking_create(actor=clerk, delegation=case, slot_id=slot.pk)
    booking_check_in(actor=None, token=booking.token)
    window_clerk = UserFactory(role=Role.WINDOW_CLERK, authority=authority)
    queue.ticket_call_next(actor=window_clerk, window_id=slot.business_type.window_id)
    page = client.get(reverse("hall:screen"))
    text = page.content.decode()
    assert page.status_code == 200 and 'http-equiv="refresh"' in text
    assert 'data-testid="current">A-0001<' in text
    assert 'data-testid="average-wait"' in text
    assert "机密团组" not in text and booking.code not in text and unit.name not in text


def test_the_count_starts_again_the_next_minute(client, monkeypatch):
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_800_000_000.0)
    url = reverse("hall:screen")
    for _ in range(ratelimit.PUBLIC_LIMIT + 1):
        client.get(url)
    assert client.get(url).status_code == 429
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_800_000_060.0)
    assert client.get(url).status_code == 200
