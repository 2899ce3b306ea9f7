import datetime as dt

import pytest
from django.db import connection

from waiban.core.crypto import blind_index
from waiban.core.models import AuditEvent
from waiban.people import services
from waiban.people.models import Person
from waiban.testing.ids import make_id_number

pytestmark = pytest.mark.django_db


def person_data(**overrides):
    data = {
        "name_zh": "陈静",
        "surname_pinyin": "CHEN",
        "given_name_pinyin": "JING",
        "sex": "F",
        "birth_date": dt.date(1979, 11, 2),
        "id_number": make_id_number(birth=dt.date(1979, 11, 2), sex="F", area="450102"),
        "post": "科长",
        "rank": "section",
        "secret_level": "none",
        "phone": "13912345678",
        "is_teaching_research": False,
    }
    data.update(overrides)
    return data


def test_the_database_column_never_holds_the_id_number_or_phone_in_clear(clerk, unit):
    data = person_data()
    person = services.person_create(actor=clerk, unit=unit, data=data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM people_person WHERE id = %s", [person.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert data["id_number"] not in raw_id
    assert data["id_number"][-6:] not in raw_id
    assert data["phone"] not in raw_phone
    assert Person.objects.get(pk=person.pk).id_number == data["id_number"]


def test_a_person_is_found_by_the_blind_index_of_the_id_number(clerk, unit):
    data = person_data()
    person = services.person_create(actor=clerk, unit=unit, data=data)
    found = Person.objects.get(id_number_hash=blind_index(data["id_number"].lower()))
    assert found == person


def test_creating_a_person_writes_an_audit_event_without_the_personal_numbers(clerk, unit):
    data = person_data()
    person = services.person_create(actor=clerk, unit=unit, data=data)
    event = AuditEvent.objects.get(action="person.create", object_id=str(person.pk))
    assert event.actor == clerk
    assert event.new_values["name_zh"] == "陈静"
    assert data["id_number"] not in str(event.new_values)
    assert data["phone"] not in str(event.new_values)
