import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from waiban.core.errors import ServiceError
from waiban.visas.models import RegimeEdition, VisaRegime
from waiban.visas.regimes import regime_edition_load, regime_for, regime_rows
from waiban.visas.tests.conftest import REGIMES_FILE

HEADER = "# edition: test\n# source: test source\n# published: 2026-01-01\n"
COLUMNS = "country,passport_kinds,regime,max_stay_days,condition,conditions,valid_from,valid_to,to_verify,note\n"


def test_the_command_loads_the_shipped_edition_with_its_source(db, capsys):
    call_command("visa_regimes_load", str(REGIMES_FILE))
    edition = RegimeEdition.objects.get()
    assert edition.published_on == dt.date(2025, 3, 11)
    assert "cs.mfa.gov.cn" in edition.source
    assert VisaRegime.objects.filter(
        edition=edition, country="TH", passport_kind="service"
    ).exists()
    # Rows not checked against the published list are marked so.
    assert VisaRegime.objects.filter(country="RU", to_verify=True).exists()
    assert "now current" in capsys.readouterr().out


def test_the_same_file_twice_is_refused(db):
    call_command("visa_regimes_load", str(REGIMES_FILE))
    with pytest.raises(CommandError, match="already been loaded"):
        call_command("visa_regimes_load", str(REGIMES_FILE))


def test_a_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No such file"):
        call_command("visa_regimes_load", "/nonexistent.csv")


def test_a_bad_file_names_every_bad_line_and_loads_nothing(db):
    data = (
        HEADER
        + COLUMNS
        + "XX,service,exempt,30,,,,,no,\n"
        + "TH,passport,exempt,30,,,,,no,\n"
        + "TH,service,maybe,30,,,2024-13-01,,no,\n"
    ).encode()
    with pytest.raises(ServiceError) as caught:
        regime_edition_load(data=data)
    problems = caught.value.params["problems"]
    assert any("Line 5" in p and "XX" in p for p in problems)
    assert any("Line 6" in p for p in problems)
    assert any("Line 7" in p and "maybe" in p for p in problems)
    assert any("Line 7" in p and "2024-13-01" in p for p in problems)
    assert not RegimeEdition.objects.exists()


def test_a_file_without_its_source_is_refused(db):
    data = (
        "# edition: x\n# published: 2026-01-01\n" + COLUMNS + "TH,service,exempt,30,,,,,no,\n"
    ).encode()
    with pytest.raises(ServiceError, match="source"):
        regime_edition_load(data=data)


def test_a_new_edition_replaces_the_old_one_in_lookups(db):
    regime_edition_load(data=REGIMES_FILE.read_bytes())
    rows = regime_rows(["TH"], ["service"])
    assert (
        regime_for(
            rows, country="TH", kind="service", on=dt.date(2026, 5, 1), ministerial=False
        ).regime
        == "exempt"
    )
    # The next edition no longer lists Thailand: a visa is required again.
    regime_edition_load(data=(HEADER + COLUMNS + "SG,service,exempt,30,,,,,no,\n").encode())
    rows = regime_rows(["TH"], ["service"])
    assert (
        regime_for(
            rows, country="TH", kind="service", on=dt.date(2026, 5, 1), ministerial=False
        ).regime
        == "visa_required"
    )
    assert RegimeEdition.objects.count() == 2  # the old edition stays, as history


def test_a_row_counts_only_within_its_dates_and_conditions(db):
    regime_edition_load(data=REGIMES_FILE.read_bytes())
    rows = regime_rows(["TH", "IE"], ["service", "diplomatic"])
    before = regime_for(
        rows, country="TH", kind="service", on=dt.date(2024, 2, 1), ministerial=False
    )
    assert before.regime == "visa_required"
    assert (
        regime_for(
            rows, country="IE", kind="service", on=dt.date(2026, 5, 1), ministerial=False
        ).regime
        == "visa_required"
    )
    assert (
        regime_for(
            rows, country="IE", kind="service", on=dt.date(2026, 5, 1), ministerial=True
        ).regime
        == "exempt"
    )


def test_a_new_edition_that_changes_a_pending_trip_tells_the_visa_officer(
    unit, regimes, visa_officer, django_capture_on_commit_callbacks
):
    from waiban.notices.models import Notice
    from waiban.visas.tests.conftest import three_country_trip

    trip = three_country_trip(unit)
    unchanged = three_country_trip(unit)
    unchanged.stops.exclude(country="TH").delete()
    # The next edition lists Germany as exempt for service passports and drops Thailand.
    data = (HEADER + COLUMNS + "DE,service,exempt,30,,,,,no,\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        regime_edition_load(data=data)
    notices = list(Notice.objects.filter(recipient=visa_officer))
    assert len(notices) == 2  # the first trip and the Thailand-only one
    with_case = [n for n in notices if trip.case_number in n.subject]
    assert with_case and "Germany: 3 member(s) no longer need a visa" in with_case[0].body
    assert "Thailand: 3 member(s) now need a visa" in with_case[0].body


def test_an_edition_that_changes_nothing_tells_nobody(
    unit, regimes, visa_officer, django_capture_on_commit_callbacks
):
    from waiban.notices.models import Notice
    from waiban.visas.tests.conftest import three_country_trip

    three_country_trip(unit)
    data = REGIMES_FILE.read_bytes() + b"\n"  # the same rows, another file
    with django_capture_on_commit_callbacks(execute=True):
        regime_edition_load(data=data)
    assert not Notice.objects.filter(recipient=visa_officer).exists()
