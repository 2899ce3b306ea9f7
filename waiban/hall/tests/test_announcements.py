import pytest
from django.urls import reverse

from waiban.testing.factories import DelegationFactory, PersonFactory
from waiban.visits.models import DelegationEvent
from waiban.visits.states import State

pytestmark = pytest.mark.django_db


def _decided(unit, state, **kwargs):
    case = DelegationFactory(unit=unit, approved=True, case_number=kwargs.pop("number"), **kwargs)
    case.state = state
    case.save()
    DelegationEvent.objects.create(
        delegation=case, action="approve", from_state=State.PENDING_APPROVAL, to_state=state
    )
    return case


def test_decided_cases_are_announced_without_people_or_titles(client, unit, settings):
    PersonFactory(unit=unit)
    approved = _decided(unit, State.APPROVED, number="2026-0000101", title="赴德国考察团")
    _decided(unit, State.REFUSED, number="2026-0000102")
    DelegationFactory(unit=unit, submitted=True, case_number="2026-0000103")
    page = client.get(reverse("hall:announcements"))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-case="2026-0000101"' in text and 'data-case="2026-0000102"' in text
    assert "2026-0000103" not in text  # not decided yet
    assert approved.title not in text and unit.name in text
    settings.HALL_ANNOUNCE_UNIT_NAMES = False
    assert unit.name not in client.get(reverse("hall:announcements")).content.decode()
