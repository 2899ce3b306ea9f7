"""The pinyin suggestion script in a real headless Chromium (Playwright)."""

import pytest
from django.urls import reverse

from waiban.testing.browser import browser_test, chromium_page, login

pytestmark = browser_test


@pytest.fixture
def page():
    with chromium_page(viewport={"width": 390, "height": 844}) as page:
        yield page


def test_the_pinyin_fields_follow_the_chinese_name_until_the_clerk_corrects_them(
    page, live_server, clerk
):
    login(page, live_server.url, clerk)
    page.goto(live_server.url + reverse("people:create"))

    page.fill("#id_name_zh", "单雪梅")
    page.wait_for_function("document.querySelector('#id_surname_pinyin').value === 'SHAN'")
    assert page.input_value("#id_given_name_pinyin") == "XUEMEI"

    page.fill("#id_given_name_pinyin", "SNOWPLUM")  # the clerk's own spelling stays
    page.fill("#id_name_zh", "吕雪梅")
    page.wait_for_function("document.querySelector('#id_surname_pinyin').value === 'LYU'")
    assert page.input_value("#id_given_name_pinyin") == "SNOWPLUM"
