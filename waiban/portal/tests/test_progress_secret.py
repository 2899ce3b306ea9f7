"""The progress card needs the receipt's secret, and an address cannot query without end."""

import pytest
from django.urls import reverse

from waiban.portal.access import progress_code, progress_path, progress_token
from waiban.testing.factories import DelegationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(unit, clerk):
    return DelegationFactory(unit=unit, created_by=clerk, submitted=True)


def _query(client, **params):
    return client.get(reverse("portal:progress"), params)


def test_the_case_number_alone_shows_nothing(client, case):
    response = _query(client, case=case.case_number)
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-state=" not in html and case.unit.name not in html
    assert 'data-error="code"' in html


def test_the_number_and_the_query_code_from_the_receipt_show_the_card(client, case):
    html = _query(client, case=case.case_number, code=progress_code(case.case_number)).content
    assert 'data-state="pre_review"' in html.decode()


def test_the_code_may_be_typed_in_lower_case_without_its_dash(client, case):
    typed = progress_code(case.case_number).replace("-", "").lower()
    assert 'data-state="' in _query(client, case=case.case_number, code=typed).content.decode()


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(client, case):
    other = DelegationFactory(unit=case.unit, created_by=case.created_by, submitted=True)
    wrong = _query(client, case=case.case_number, code=progress_code(other.case_number))
    unknown = _query(client, case="2099-0000001", code=progress_code(case.case_number))
    for response in (wrong, unknown):
        html = response.content.decode()
        assert "data-state=" not in html and 'data-error="code"' in html
    assert wrong.context["errors"] == unknown.context["errors"]


def test_the_receipt_qr_link_opens_the_card_without_typing(client, case):
    html = client.get(progress_path(case.case_number)).content.decode()
    assert 'data-state="pre_review"' in html
    token = progress_token(case.case_number)
    forged_key = token[:-1] + ("B" if token.endswith("A") else "A")
    forged = _query(client, case=case.case_number, key=forged_key)
    assert "data-state=" not in forged.content.decode()


def test_each_case_has_its_own_code_and_token(case):
    other = DelegationFactory(unit=case.unit, created_by=case.created_by, submitted=True)
    assert progress_code(case.case_number) != progress_code(other.case_number)
    assert progress_token(case.case_number) != progress_token(other.case_number)
    assert len(progress_token(case.case_number)) >= 26  # 160 bits


def test_the_receipt_prints_the_query_code_and_a_qr_link_with_the_token(client, clerk, case):
    client.force_login(clerk)
    response = client.get(reverse("visits:receipt", args=[case.pk]))
    html = response.content.decode()
    assert progress_code(case.case_number) in html
    assert response.context["progress_link"].endswith(progress_path(case.case_number))


def test_an_address_is_refused_after_the_limit_and_others_are_not(client, case, settings):
    settings.PROGRESS_QUERY_LIMIT = 5
    for n in range(5):
        assert _query(client, case=f"2026-000{n}", code="AAAA-AAAA").status_code == 200
    refused = _query(client, case=case.case_number, code=progress_code(case.case_number))
    assert refused.status_code == 429
    assert 'data-error="rate-limited"' in refused.content.decode()
    assert "data-state=" not in refused.content.decode()  # even the right code waits
    other = client.get(
        reverse("portal:progress"),
        {"case": case.case_number, "code": progress_code(case.case_number)},
        REMOTE_ADDR="10.9.8.7",
    )
    assert other.status_code == 200 and 'data-state="' in other.content.decode()


def test_the_limit_counts_the_client_behind_the_trusted_proxy(client, case, settings):
    settings.PROGRESS_QUERY_LIMIT = 2
    settings.WAIBAN_PROXY_COUNT = 1

    def ask(forwarded):
        return client.get(
            reverse("portal:progress"),
            {"case": case.case_number, "code": "AAAA-AAAA"},
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert ask("1.1.1.1").status_code == 200
    assert ask("1.1.1.1").status_code == 200
    # A client cannot escape by prepending an address of its own choice.
    assert ask("9.9.9.9, 1.1.1.1").status_code == 429
    assert ask("2.2.2.2").status_code == 200


def test_the_page_without_a_query_counts_nothing(client, settings):
    settings.PROGRESS_QUERY_LIMIT = 1
    for _ in range(3):
        assert client.get(reverse("portal:progress")).status_code == 200
