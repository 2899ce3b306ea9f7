"""The pinyin suggestion script in a real headless Chromium (Playwright)."""

import os
import shutil

import pytest
from django.urls import reverse

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "pass-for-tests-1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


@pytest.fixture
def page():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        context.set_default_timeout(15000)
        yield context.new_page()
        browser.close()


def test_the_pinyin_fields_follow_the_chinese_name_until_the_clerk_corrects_them(
    page, live_server, clerk
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(
        "[data-testid=current-user]", state="attached"
    )  # menu collapsed on a phone
    page.goto(live_server.url + reverse("people:create"))

    page.fill("#id_name_zh", "单雪梅")
    page.wait_for_function("document.querySelector('#id_surname_pinyin').value === 'SHAN'")
    assert page.input_value("#id_given_name_pinyin") == "XUEMEI"

    page.fill("#id_given_name_pinyin", "SNOWPLUM")  # the clerk's own spelling stays
    page.fill("#id_name_zh", "吕雪梅")
    page.wait_for_function("document.querySelector('#id_surname_pinyin').value === 'LYU'")
    assert page.input_value("#id_given_name_pinyin") == "SNOWPLUM"
