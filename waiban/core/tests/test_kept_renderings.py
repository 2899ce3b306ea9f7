"""Renderings kept for many viewers (the menu, list rows) are keyed by what they show, so each
viewer sees their own badges and every change at once."""

import pytest
from django.urls import reverse

from waiban.notices.services import notice_send
from waiban.testing.factories import DelegationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_user_sees_their_own_notice_badge_in_the_kept_menu(client, staff):
    window, reviewer = staff["window_clerk"], staff["reviewer"]
    notice_send(key="t-1", recipient=window, subject="护照逾期未还")
    client.force_login(window)
    assert (
        'data-testid="unread-notices">1<' in client.get(reverse("notices:inbox")).content.decode()
    )
    client.force_login(reviewer)
    html = client.get(reverse("notices:inbox")).content.decode()
    assert 'data-testid="unread-notices"' not in html
    assert f'data-testid="current-user">{reviewer}' in html
    client.force_login(window)
    client.post(reverse("notices:mark_read"))
    assert (
        'data-testid="unread-notices"' not in client.get(reverse("notices:inbox")).content.decode()
    )
    notice_send(key="t-2", recipient=window, subject="护照逾期未还")
    html = client.get(reverse("notices:inbox")).content.decode()
    assert 'data-testid="unread-notices">1<' in html


def test_a_changed_title_and_member_count_show_in_the_list_at_once(client, clerk, unit):
    case = DelegationFactory(unit=unit, created_by=clerk, members=2)
    client.force_login(clerk)
    html = client.get(reverse("visits:list")).content.decode()
    assert case.title in html and "<td>2</td>" in html
    case.title = "赴德国经贸交流团"
    case.save(update_fields=["title"])
    case.members.last().delete()
    html = client.get(reverse("visits:list")).content.decode()
    assert "赴德国经贸交流团" in html and "<td>1</td>" in html


def test_the_menu_shows_the_language_switch_for_the_page_it_is_on(client, clerk):
    client.force_login(clerk)
    for name in ("visits:list", "people:list"):
        html = client.get(reverse(name)).content.decode()
        assert f'name="next" type="hidden" value="{reverse(name)}"' in html


def test_two_users_of_the_same_role_never_share_the_form_tokens_of_the_kept_menu(staff):
    import re

    from django.test import Client

    twin = UserFactory(role=staff["reviewer"].role, authority=staff["reviewer"].authority)
    tokens = []
    for user in (staff["reviewer"], twin):
        browser = Client()
        browser.force_login(user)
        html = browser.get(reverse("notices:inbox")).content.decode()
        tokens.append(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert tokens[0] and tokens[1] and not set(tokens[0]) & set(tokens[1])
