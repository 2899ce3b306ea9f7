import pytest
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.core.models import AuditEvent
from waiban.hall.models import ServiceItem
from waiban.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(client, authority):
    user = UserFactory(role=Role.SYS_ADMIN, authority=authority, is_staff=True)
    client.force_login(user)
    return user


def test_editing_a_guide_in_the_admin_makes_a_new_version(client, sysadmin):
    item = ServiceItem.objects.get(code="visa")
    add = reverse("admin:hall_serviceguideversion_add")
    form = client.get(f"{add}?item={item.pk}")
    assert form.status_code == 200 and "因公签证代办" in form.content.decode()  # copied
    current = item.current_version()
    data = {
        "item": item.pk,
        "name": current.name,
        "materials": current.materials,
        "steps": current.steps,
        "time_limit_days": 12,
        "note": "时限缩短",
    }
    saved = client.post(add, data)
    assert saved.status_code == 302
    assert item.current_version().number == 2 and item.current_version().time_limit_days == 12
    assert item.versions.get(number=1).time_limit_days == current.time_limit_days
    assert AuditEvent.objects.filter(action="guide.version").exists()
    public = client.get(reverse("hall:guide", args=["visa"])).content.decode()
    assert 'data-version="2"' in public


def test_a_version_cannot_be_changed_in_place(client, sysadmin):
    version = ServiceItem.objects.get(code="visa").current_version()
    url = reverse("admin:hall_serviceguideversion_change", args=[version.pk])
    client.post(url, {"item": version.item_id, "name": "改掉", "time_limit_days": 1})
    version.refresh_from_db()
    assert version.name == "因公签证代办"


def test_a_bad_item_in_the_add_link_is_ignored(client, sysadmin):
    add = reverse("admin:hall_serviceguideversion_add")
    for value in ["x", "99999999999999999999", "123456"]:
        assert client.get(f"{add}?item={value}").status_code == 200


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_the_other_administrators_cannot_edit_the_catalogue(client, authority, role):
    client.force_login(UserFactory(role=role, authority=authority, is_staff=True))
    assert client.get(reverse("admin:hall_serviceguideversion_add")).status_code == 403


def test_a_slots_capacity_cannot_drop_below_its_bookings(client, sysadmin, authority, unit):
    from waiban.hall.booking import booking_create
    from waiban.hall.tests.helpers import make_slot
    from waiban.testing.factories import DelegationFactory

    clerk = UserFactory(role=Role.UNIT_CLERK, unit=unit)
    slot = make_slot(authority, capacity=2)
    for _ in range(2):
        case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
        booking_create(actor=clerk, delegation=case, slot_id=slot.pk)
    url = reverse("admin:hall_timeslot_change", args=[slot.pk])
    data = {
        "business_type": slot.business_type_id,
        "day": slot.day.isoformat(),
        "starts": "09:00",
        "ends": "09:30",
        "capacity": 1,
    }
    page = client.post(url, data)
    assert page.status_code == 200  # the form again, with the error beside the capacity
    slot.refresh_from_db()
    assert slot.capacity == 2
