"""Headless Chromium through Playwright, for the browser tests of every app.

Debian's chromium is used (no browser download at run time); without it the tests are skipped.
"""

import os
import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "pass-for-tests-1"  # the factories' password

browser_test = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


@contextmanager
def chromium_page(**context_options):
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
    # still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="zh-CN", **context_options)
        context.set_default_timeout(15000)
        try:
            yield context.new_page()
        finally:
            browser.close()


def login(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    # "attached", not visible: on a phone the menu holding the user's name is collapsed.
    page.wait_for_selector("[data-testid=current-user]", state="attached")
