import datetime as dt

from django.utils import timezone

from waiban.hall.models import BusinessType, TimeSlot, Window


def make_slot(authority, *, letter="A", day=None, capacity=2, hour=9):
    window, _ = Window.objects.get_or_create(
        authority=authority, letter=letter, defaults={"name": f"窗口{letter}"}
    )
    kind, _ = BusinessType.objects.get_or_create(window=window, name="因公出国审批")
    return TimeSlot.objects.create(
        business_type=kind,
        day=day or timezone.localdate(),
        starts=dt.time(hour, 0),
        ends=dt.time(hour, 30),
        capacity=capacity,
    )
