"""Eight clerks book the last three places of a slot at the same moment: three win, five are
told the slot is full, and the slot is never over capacity.

PostgreSQL only, where select_for_update really locks the row; SQLite serialises whole
transactions and would prove nothing.
"""

import threading

import pytest
from django.db import connection, connections

from waiban.accounts.roles import Role
from waiban.core.errors import StateConflict
from waiban.hall.booking import booking_create
from waiban.hall.models import Booking
from waiban.hall.tests.helpers import make_slot
from waiban.testing.factories import DelegationFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_concurrent_bookings_never_overfill_a_slot(authority, unit):
    slot = make_slot(authority, capacity=3)
    clerk = UserFactory(role=Role.UNIT_CLERK, unit=unit)
    cases = [DelegationFactory(unit=unit, created_by=clerk, submitted=True) for _ in range(8)]
    barrier = threading.Barrier(len(cases))
    outcomes = []

    def book(case):
        try:
            barrier.wait(timeout=10)
            booking_create(actor=clerk, delegation=case, slot_id=slot.pk)
            outcomes.append("booked")
        except StateConflict as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["booked"] * 3 + ["slot_full"] * 5
    slot.refresh_from_db()
    assert slot.booked == 3 == Booking.objects.filter(slot=slot).count()
