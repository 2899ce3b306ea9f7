"""A passport's moves that the unit must act on tell the unit's clerks (and its holder)."""

import pytest

from waiban.accounts.roles import Role
from waiban.notices.models import Notice
from waiban.passports.services import passport_report_lost
from waiban.passports.tests.helpers import make_passport
from waiban.testing.factories import PersonFactory, UnitFactory, UserFactory
from waiban.testing.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


def test_a_reported_loss_tells_the_unit_and_the_holder_and_no_other_unit(unit, clerk, authority):
    person = PersonFactory(unit=unit)
    holder = UserFactory(role=Role.TRAVELLER, unit=unit, person=person)
    other = UserFactory(role=Role.UNIT_CLERK, unit=UnitFactory(authority=authority))
    officer = UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)
    passport_report_lost(passport=make_passport(person), actor=officer, comment="出差途中遗失")
    deliver_outbox()
    told = set(Notice.objects.values_list("recipient", flat=True))
    assert told == {clerk.pk}  # the holder hears of expiry and a new passport, not of this
    notice = Notice.objects.get()
    assert person.name_zh in notice.subject and "出差途中遗失" in notice.body
    assert not Notice.objects.filter(recipient__in=[holder, other, officer]).exists()
