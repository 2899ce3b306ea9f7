"""The application form in a real Chromium: the country search box, and the question before
leaving with unsaved changes."""

import datetime as dt

import pytest

from waiban.testing.browser import browser_test, chromium_page, login

pytestmark = browser_test


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


def test_typing_pinyin_in_the_search_box_picks_the_country(page, live_server, clerk):
    login(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/delegations/new/")
    box = page.locator("#id_stops-0-country").locator("xpath=preceding-sibling::input[1]")
    box.fill("deguo")
    assert page.input_value("#id_stops-0-country") == "DE"
    box.fill("nepal")
    assert page.input_value("#id_stops-0-country") == "NP"
    visible = page.eval_on_selector(
        "#id_stops-0-country", "s => [...s.options].filter(o => !o.hidden && o.value).length"
    )
    assert visible == 1
    # A row added later gets its own box.
    page.click("[data-add-row=stops]")
    assert page.locator("#id_stops-1-country").locator("xpath=preceding-sibling::input[1]").count()


def test_leaving_with_unsaved_changes_asks_first_and_only_then(page, live_server, clerk):
    login(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/delegations/new/")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.goto(f"{live_server.url}/delegations/")  # nothing typed: nothing to lose
    assert asked == []
    page.goto(f"{live_server.url}/delegations/new/")
    page.fill("#id_title", "赴德国经贸考察")
    page.evaluate("() => { window.location.href = '/delegations/'; }")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]


def test_a_new_traveller_is_added_from_inside_the_form_without_losing_it(page, live_server, clerk):
    from waiban.people.models import Person
    from waiban.testing.ids import make_id_number

    login(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/delegations/new/")
    page.fill("#id_title", "赴德国经贸考察团")
    page.click("[data-open-add-person]")
    frame = page.frame_locator("#add-person-dialog iframe")
    frame.locator("#id_name_zh").fill("单雪梅")
    frame.locator("#id_sex").select_option("F")
    frame.locator("#id_birth_date").fill("1982-06-15")
    frame.locator("#id_id_number").fill(make_id_number(birth=dt.date(1982, 6, 15), sex="F"))
    frame.locator("#id_post").fill("副处长")
    frame.locator("#id_surname_pinyin").fill("SHAN")
    frame.locator("#id_given_name_pinyin").fill("XUEMEI")
    frame.locator("button[type=submit]").click()
    person = None
    for _ in range(50):
        person = Person.objects.filter(name_zh="单雪梅").first()
        if person and page.input_value("#id_members-0-person") == str(person.pk):
            break
        page.wait_for_timeout(100)
    assert person is not None
    assert page.input_value("#id_members-0-person") == str(person.pk)
    assert page.input_value("#id_title") == "赴德国经贸考察团"  # nothing typed was lost
    assert not page.eval_on_selector("#add-person-dialog", "d => d.open")
