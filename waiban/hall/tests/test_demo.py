import pytest

from waiban.demo.seed import seed_demo
from waiban.hall.models import Booking, Rating, Rectification, Ticket, TimeSlot, TravelAdvisory

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_hall(django_capture_on_commit_callbacks):
    seed_demo(delegations=30)
    assert TimeSlot.objects.count() > 100
    assert TravelAdvisory.objects.filter(country="DE").exists()
    assert Booking.objects.count() >= 4
    assert Ticket.objects.filter(status="waiting").exists()
    assert Rating.objects.filter(level=2, ticket__isnull=False).exists()
    assert Rectification.objects.filter(status="open").exists()
    assert Rectification.objects.filter(status="answered").exists()
    assert all(s.booked <= s.capacity for s in TimeSlot.objects.all())
