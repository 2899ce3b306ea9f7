"""Each home page starts with what waits for its user, as counts that link to the work."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from waiban.testing.factories import DelegationFactory

pytestmark = pytest.mark.django_db


def _todos(page) -> dict[str, tuple[int, str]]:
    block = page.split('data-testid="todos"', 1)[1].split("</section>", 1)[0]
    found = re.findall(r'href="([^"]+)" data-todo="\d+">\s*(.*?) <span[^>]*>(\d+)</span>', block)
    return {
        html.unescape(label.strip()): (int(count), html.unescape(href))
        for href, label, count in found
    }


def test_the_clerk_sees_what_was_sent_back_and_the_drafts_and_follows_the_link(
    client, unit, clerk, staff
):
    DelegationFactory(unit=unit, created_by=clerk)
    DelegationFactory(unit=unit, created_by=clerk, state="sent_back")
    client.force_login(clerk)
    todos = _todos(client.get(reverse("visits:list")).content.decode())
    assert todos["Sent back for correction"][0] == 1
    assert todos["Drafts not submitted"][0] == 1
    page = client.get(todos["Sent back for correction"][1])
    assert page.status_code == 200


def test_the_unit_head_sees_commitments_to_confirm(client, unit, clerk, unit_head):
    DelegationFactory(unit=unit, created_by=clerk, committed_at=None)
    DelegationFactory(unit=unit, created_by=clerk)  # confirmed already
    client.force_login(unit_head)
    todos = _todos(client.get(reverse("visits:list")).content.decode())
    assert todos == {"Commitments to confirm": (1, "/delegations/?state=awaiting_commitment")}


def test_the_window_sees_its_queue_and_what_is_late(client, unit, clerk, staff):
    DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    late = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    late.deadline = dt.date(2020, 1, 2)
    late.save()
    DelegationFactory(unit=unit, created_by=clerk, under_review=True)  # the reviewer's
    client.force_login(staff["window_clerk"])
    todos = _todos(client.get(reverse("visits:workbench")).content.decode())
    assert todos["Cases in your queue"][0] == 2
    assert todos["Past the office's time limit"][0] == 1
    assert client.get(todos["Past the office's time limit"][1]).status_code == 200
