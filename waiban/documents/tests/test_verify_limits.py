"""The public verification answers a malformed request with a clear 400 and limits each address."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL_NAME = "documents:verify_json"


@pytest.mark.parametrize(
    "body, content_type, error",
    [
        ("{not json", "application/json", "invalid_json"),
        (b"\xff\xfe\x00garbage", "application/json", "invalid_json"),
        ("[1, 2, 3]", "application/json", "invalid_json"),
        ('"WB1:abc"', "application/json", "invalid_json"),
        ('{"code": 5}', "application/json", "code_not_text"),
        ('{"code": {"a": 1}}', "application/json", "code_not_text"),
        ('{"code": "' + "x" * 9000 + '"}', "application/json", "code_too_long"),
        ("{}", "application/json", "no_code"),
        ("code=", "text/plain", "no_code"),
    ],
)
def test_a_malformed_body_gets_a_400_that_says_what_is_wrong(client, body, content_type, error):
    response = client.post(reverse(URL_NAME), body, content_type=content_type)
    assert response.status_code == 400
    answer = response.json()
    assert answer["error"] == error and answer["message"]


def test_the_verify_page_shows_a_malformed_request_beside_the_form(client):
    response = client.post(reverse("documents:verify"), {"code": "x" * 9000})
    assert response.status_code == 400
    assert 'data-testid="verify-problem"' in response.content.decode()


def test_the_api_refuses_an_address_past_its_limit_and_serves_another(client, settings):
    settings.VERIFY_LIMIT = 3
    url = reverse(URL_NAME)
    for _ in range(3):
        assert client.post(url, {"code": "WB1:nothing"}).status_code == 200
    refused = client.post(url, {"code": "WB1:nothing"})
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert client.post(url, {"code": "WB1:nothing"}, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_the_page_and_the_api_share_one_limit(client, settings):
    settings.VERIFY_LIMIT = 2
    client.post(reverse("documents:verify"), {"code": "WB1:nothing"})
    client.post(reverse(URL_NAME), {"code": "WB1:nothing"})
    page = client.post(reverse("documents:verify"), {"code": "WB1:nothing"})
    assert page.status_code == 429
    assert 'data-testid="verify-problem"' in page.content.decode()
