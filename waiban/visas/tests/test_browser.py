"""Issue 14's "done when", as a visa officer would try it in a real headless Chromium: a
3-country trip approved with service passports; the officer sees who needs which visa, prepares
the batch (its note's QR verifies VALID), sends it, records the results; the clerk's timeline
shows each step."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.testing.browser import browser_test, chromium_page, login
from waiban.visas.models import VisaBatch
from waiban.visas.notes import visa_note_current
from waiban.visas.tests.conftest import three_country_trip

pytestmark = browser_test


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


def test_the_visa_officers_round_from_needs_to_results(
    page, live_server, unit, regimes, signing_keys, visa_officer, clerk
):
    base = live_server.url
    trip = three_country_trip(unit)
    today = timezone.localdate()

    login(page, base, visa_officer)
    # Home is the visa workbench: the trip waits there, with its embassies.
    page.goto(base + "/")
    row = page.locator(f"[data-testid=waiting] tr[data-case='{trip.pk}']")
    assert "广州" in row.text_content()
    row.locator("a").click()
    # Who needs which visa: Germany and Ireland, not Thailand.
    needed = page.locator("[data-testid=visa-needs] tr[data-needs-visa=yes]")
    assert {needed.nth(i).get_attribute("data-country") for i in range(needed.count())} == {
        "DE",
        "IE",
    }
    page.click("form[data-embassy] button")  # the first embassy: Germany's consulate
    page.wait_for_selector("[data-testid=batch]")
    batch = VisaBatch.objects.get(delegation=trip)
    page.reload()
    page.wait_for_selector("[data-testid=note-pdf]")

    # The note's QR code verifies VALID on the public page.
    note = visa_note_current(batch)
    page.goto(base + reverse("documents:verify"))
    page.fill("#id_code", note.qr_text)
    page.click("form:has(#id_code) button.btn-primary")
    assert page.get_attribute("[data-testid=verdict]", "data-status") == "valid"
    assert page.get_attribute("[data-testid=kind]", "data-kind") == "visa_note"

    # Sent with the courier; each passport's result; back.
    page.goto(base + reverse("visas:batch", args=[batch.pk]))
    page.fill("#id_courier", "驻京办 李明")
    page.fill("#id_sent_on", today.isoformat())
    page.click("[data-testid=send-form] button")
    page.wait_for_selector("[data-testid=batch][data-state=sent]")
    for application in batch.applications.all():
        page.select_option("#id_application", str(application.pk))
        page.select_option("#id_result", "granted")
        page.fill("#id_visa_number", f"D{application.pk:07d}")
        page.fill("#id_valid_from", today.isoformat())
        page.fill("#id_valid_until", (today + dt.timedelta(days=90)).isoformat())
        page.select_option("#id_entries", "single")
        page.fill("#id_stay_days", "30")
        page.click("[data-testid=result-form] button")
        page.wait_for_selector(f"tr[data-application='{application.pk}'][data-result=granted]")
    page.fill("#id_back_on", today.isoformat())
    page.click("[data-testid=receive-form] button")
    page.wait_for_selector("[data-testid=batch][data-state=back]")

    # The clerk's case page: the visas granted, each step in the timeline.
    login(page, base, clerk)
    page.goto(base + reverse("visits:detail", args=[trip.pk]))
    assert page.locator("[data-testid=visa-needs] td[data-status=granted]").count() == 3
    timeline = page.text_content("[data-testid=timeline]")
    for event in ("visa_create", "visa_send", "visa_result", "visa_receive"):
        assert page.locator(f"[data-testid=timeline] [data-event={event}]").count() >= 1
    assert "德意志联邦共和国驻广州总领事馆" in timeline
