"""Issue 5's story in a real headless Chromium: from an approved trip to passports lent out,
one of them back in the cabinet by an MRZ scan; then, the clock moved on, the other turns amber
and red on the custody view and blocks the unit's next submission until it comes back."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.passports.models import Loan, ProductionRequest
from waiban.passports.photos import photo_problems
from waiban.passports.states import NUMBER_PREFIXES, Status
from waiban.passports.tests.helpers import clock_on, good_photo_bytes, mrz_of
from waiban.testing.browser import browser_test, chromium_page, login
from waiban.testing.factories import DelegationFactory, UserFactory
from waiban.visits.states import State

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
pytestmark = browser_test


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


def test_from_an_approved_trip_to_passports_lent_out_and_one_returned_by_scan(
    page, live_server, unit, authority, clerk, tmp_path
):
    base = live_server.url
    trip = DelegationFactory(unit=unit, approved=True, members=2)
    officer = UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)

    # The passport officer creates the production requests from the trip's passport stage.
    login(page, base, officer)
    page.goto(base + reverse("passports:delegation", args=[trip.pk]))
    page.click("[data-testid=create-requests] button")
    page.wait_for_selector(".alert-success")
    requests = list(ProductionRequest.objects.filter(delegation=trip).order_by("id"))
    assert len(requests) == 2

    # The unit's clerk uploads the photos: a PDF renamed .jpg is refused with a clear message.
    good, bad = tmp_path / "good.jpg", tmp_path / "photo.jpg"
    good.write_bytes(good_photo_bytes())
    bad.write_bytes(PDF)
    assert photo_problems(good.read_bytes()) == []
    login(page, base, clerk)
    page.goto(base + reverse("passports:photo", args=[requests[0].pk]))
    page.set_input_files("#id_photo", str(bad))
    page.click("form[enctype] button")
    error = page.text_content("[data-field-error=photo]")
    assert "JPG" in error and "PNG" in error
    requests[0].refresh_from_db()
    assert not requests[0].photo
    for row in requests:
        page.goto(base + reverse("passports:photo", args=[row.pk]))
        page.set_input_files("#id_photo", str(good))
        page.click("form[enctype] button")
        page.wait_for_selector("[data-testid=photo-ok]")
        # The accepted photo issues the signed passport application form; the clerk gets it.
        href = page.get_attribute("[data-testid=passport-form]", "href")
        pdf = page.request.get(base + href)
        assert pdf.ok and pdf.body().startswith(b"%PDF")

    # The officer sees both forms on the trip's passport stage, then sends each passport to
    # production and checks it in by its MRZ.
    login(page, base, officer)
    page.goto(base + reverse("passports:delegation", args=[trip.pk]))
    assert page.locator("[data-testid=requests] [data-testid=passport-form]").count() == 2
    expiry = timezone.localdate().replace(day=1) + dt.timedelta(days=3650)
    mrz = {}
    for i, row in enumerate(requests):
        passport = row.passport
        number = NUMBER_PREFIXES[passport.kind][0]
        number += str(1234567 + i).rjust(9 - len(number), "0")
        mrz[passport.pk] = mrz_of(passport, number=number, expiry=expiry)
        page.goto(base + reverse("passports:detail", args=[passport.pk]))
        page.click("button[value=produce]")
        page.fill("#id_mrz", mrz[passport.pk])
        page.fill("#id_issuing_authority", "国家移民管理局")
        page.click("button[value=check_in]")
        # In custody, the passport can be lent: the approved trip is offered in a list.
        page.select_option("#id_delegation", str(trip.pk))
        page.fill("#id_taken_by", "李专办")
        page.click("button[value=lend]")
        page.wait_for_selector("[data-testid=return-scan]")
        passport.refresh_from_db()
        assert passport.status == Status.LENT_OUT and passport.number == number
        assert passport.expiry_date == expiry

    # One passport comes back: the officer scans its MRZ in the custody page's box.
    first, second = (row.passport for row in requests)
    page.goto(base + reverse("passports:custody"))
    page.fill("[data-testid=return-scan] textarea", mrz[first.pk])
    page.click("[data-testid=return-scan] button")
    page.wait_for_selector(".alert-success")
    assert Loan.objects.get(passport=first).returned_at is not None

    # The custody page shows the first in the cabinet and the other still lent out, to whom.
    row_first = page.locator(f"tr[data-passport='{first.pk}']")
    row_second = page.locator(f"tr[data-passport='{second.pk}']")
    assert row_first.get_attribute("data-status") == Status.IN_CUSTODY
    assert row_second.get_attribute("data-status") == Status.LENT_OUT
    assert "李专办" in row_second.text_content()
    assert trip.case_number in row_second.text_content()
    page.goto(base + reverse("passports:custody") + "?where=out")
    assert page.locator("tr[data-passport]").count() == 1
    assert page.locator(f"tr[data-passport='{second.pk}']").count() == 1

    # The clock moves on. The day after the due date the passport still out turns amber...
    loan = Loan.objects.get(passport=second)

    def custody_class():
        page.goto(base + reverse("passports:custody"))
        return page.get_attribute(f"tr[data-passport='{second.pk}']", "class") or ""

    with clock_on(loan.due_date + dt.timedelta(days=1)):
        login(page, base, officer)  # the sessions of a month ago have expired
        assert "table-warning" in custody_class()
        assert "table-" not in (
            page.get_attribute(f"tr[data-passport='{first.pk}']", "class") or ""
        )

    # ...red after 30 days, and the unit's next submission is refused by the passport-return rule.
    with clock_on(loan.due_date + dt.timedelta(days=31)):
        login(page, base, officer)
        assert "table-danger" in custody_class()
        draft = DelegationFactory(unit=unit, created_by=clerk)
        submit = f"button[formaction='{reverse('visits:action', args=[draft.pk, 'submit'])}']"
        login(page, base, clerk)
        page.goto(base + reverse("visits:detail", args=[draft.pk]))
        page.click(submit)
        refused = page.text_content("[data-testid=action-error]")
        assert second.person.name_zh in refused and "31" in refused
        draft.refresh_from_db()
        assert draft.state == State.DRAFT

        # It comes back by scan; the same submission now goes through.
        login(page, base, officer)
        page.goto(base + reverse("passports:custody"))
        page.fill("[data-testid=return-scan] textarea", mrz[second.pk])
        page.click("[data-testid=return-scan] button")
        page.wait_for_selector(".alert-success")
        assert "table-" not in custody_class()
        login(page, base, clerk)
        page.goto(base + reverse("visits:detail", args=[draft.pk]))
        page.click(submit)
        page.wait_for_url("**" + reverse("visits:receipt", args=[draft.pk]))
        draft.refresh_from_db()
        assert draft.state == State.PRE_REVIEW
