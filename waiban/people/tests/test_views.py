import datetime as dt

import pytest
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.core.models import AuditEvent
from waiban.people.models import Person
from waiban.testing.factories import PersonFactory, UserFactory
from waiban.testing.ids import make_id_number

pytestmark = pytest.mark.django_db


def post_data(**overrides):
    birth = dt.date(1982, 6, 15)
    data = {
        "name_zh": "单雪梅",
        "surname_pinyin": "",
        "given_name_pinyin": "",
        "sex": "F",
        "birth_date": birth.isoformat(),
        "id_number": make_id_number(birth=birth, sex="F", area="450103"),
        "post": "副处长",
        "rank": "division_deputy",
        "secret_level": "none",
        "phone": "13800138000",
    }
    data.update(overrides)
    return data


def test_the_list_shows_id_numbers_and_phones_masked_and_never_in_full(client, clerk, unit):
    person = PersonFactory(unit=unit, phone="13912345678")
    client.force_login(clerk)
    html = client.get(reverse("people:list")).content.decode()
    assert person.name_zh in html
    assert person.id_number_masked in html
    assert "139****5678" in html
    assert person.id_number not in html
    assert "13912345678" not in html


def test_the_list_shows_only_the_clerks_own_unit(client, clerk, unit):
    PersonFactory(unit=unit, name_zh="本单位人")
    PersonFactory(name_zh="外单位人")
    client.force_login(clerk)
    html = client.get(reverse("people:list")).content.decode()
    assert "本单位人" in html and "外单位人" not in html


def test_the_list_is_paginated_fifty_to_a_page(client, clerk, unit):
    PersonFactory.create_batch(51, unit=unit)
    client.force_login(clerk)
    response = client.get(reverse("people:list"))
    assert len(response.context["page"].object_list) == 50
    assert len(client.get(reverse("people:list"), {"page": 2}).context["page"].object_list) == 1


def test_searching_by_name_finds_the_person(client, clerk, unit):
    PersonFactory(unit=unit, name_zh="欧阳修")
    PersonFactory(unit=unit, name_zh="司马光")
    client.force_login(clerk)
    html = client.get(reverse("people:list"), {"q": "欧阳"}).content.decode()
    assert "欧阳修" in html and "司马光" not in html


def test_an_exact_id_number_look_up_goes_by_post_and_finds_the_person(client, clerk, unit):
    wanted = PersonFactory(unit=unit, name_zh="欧阳修")
    PersonFactory(unit=unit, name_zh="司马光")
    client.force_login(clerk)
    response = client.post(reverse("people:list"), {"id_number": wanted.id_number.lower()})
    html = response.content.decode()
    assert "欧阳修" in html and "司马光" not in html
    assert wanted.id_number not in html


def test_a_number_typed_into_the_name_search_is_not_used(client, clerk, unit):
    person = PersonFactory(unit=unit)
    client.force_login(clerk)
    response = client.get(reverse("people:list"), {"q": person.id_number})
    assert response.context["query"] == ""
    assert any("ID number" in str(m) for m in response.context["messages"])


def test_the_unit_head_sees_the_list_but_no_add_button(client, unit_head, unit):
    PersonFactory(unit=unit, name_zh="本单位人")
    client.force_login(unit_head)
    html = client.get(reverse("people:list")).content.decode()
    assert "本单位人" in html
    assert reverse("people:create") not in html
    assert client.get(reverse("people:create")).status_code == 404


def test_office_staff_see_the_people_of_units_under_their_authority(client, staff, unit):
    PersonFactory(unit=unit, name_zh="本单位人")
    client.force_login(staff["reviewer"])
    html = client.get(reverse("people:list")).content.decode()
    assert "本单位人" in html and unit.name in html


def test_a_clerk_adds_a_person_with_suggested_pinyin_and_an_audit_row(client, clerk, unit):
    client.force_login(clerk)
    data = post_data()
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 302
    person = Person.objects.get(unit=unit)
    assert (person.surname_pinyin, person.given_name_pinyin) == ("SHAN", "XUEMEI")
    assert person.id_number == data["id_number"]
    assert AuditEvent.objects.filter(
        action="person.create", object_id=str(person.pk), actor=clerk
    ).exists()


def test_a_rejected_form_keeps_everything_typed_and_marks_the_field(client, clerk):
    client.force_login(clerk)
    data = post_data(sex="M")
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field-error="sex"' in html
    assert data["id_number"] in html and "副处长" in html and "13800138000" in html
    assert not Person.objects.exists()


def test_an_already_registered_id_number_is_reported_beside_the_id_field(client, clerk):
    existing = PersonFactory()  # in another unit
    client.force_login(clerk)
    response = client.post(
        reverse("people:create"),
        post_data(
            id_number=existing.id_number,
            sex=existing.sex,
            birth_date=existing.birth_date.isoformat(),
        ),
    )
    assert response.status_code == 200
    assert 'data-field-error="id_number"' in response.content.decode()
    assert Person.objects.count() == 1


def test_an_unknown_area_code_is_saved_with_a_warning(client, clerk, unit):
    client.force_login(clerk)
    birth = dt.date(1982, 6, 15)
    data = post_data(id_number=make_id_number(birth=birth, sex="F", area="990101"))
    response = client.post(reverse("people:create"), data, follow=True)
    assert Person.objects.filter(unit=unit).count() == 1
    assert any("990101" in str(m) for m in response.context["messages"])


def test_a_clerk_edits_a_person_and_the_change_is_audited(client, clerk, unit):
    person = PersonFactory(unit=unit, post="科长")
    client.force_login(clerk)
    response = client.get(reverse("people:edit", args=[person.pk]))
    assert response.status_code == 200
    data = {
        "name_zh": person.name_zh,
        "surname_pinyin": person.surname_pinyin,
        "given_name_pinyin": person.given_name_pinyin,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "id_number": person.id_number,
        "post": "处长",
        "rank": person.rank,
        "secret_level": person.secret_level,
        "phone": person.phone,
    }
    assert client.post(reverse("people:edit", args=[person.pk]), data).status_code == 302
    person.refresh_from_db()
    assert person.post == "处长"
    event = AuditEvent.objects.get(action="person.update", object_id=str(person.pk))
    assert event.old_values == {"post": "科长"} and event.new_values == {"post": "处长"}


def test_the_clerk_of_another_unit_gets_a_404_on_edit(client, unit):
    person = PersonFactory(unit=unit)
    stranger = UserFactory(role=Role.UNIT_CLERK)
    client.force_login(stranger)
    assert client.get(reverse("people:edit", args=[person.pk])).status_code == 404
    response = client.post(reverse("people:edit", args=[person.pk]), {"post": "x"})
    assert response.status_code == 404


def test_office_staff_cannot_open_the_edit_page(client, staff, unit):
    person = PersonFactory(unit=unit)
    client.force_login(staff["reviewer"])
    assert client.get(reverse("people:edit", args=[person.pk])).status_code == 404


def test_an_old_15_digit_number_finds_the_person_registered_with_18(client, clerk, unit):
    wanted = PersonFactory(unit=unit, name_zh="欧阳修")
    old_style = wanted.id_number[:6] + wanted.id_number[8:17]
    client.force_login(clerk)
    html = client.post(reverse("people:list"), {"id_number": old_style}).content.decode()
    assert "欧阳修" in html


def test_an_edit_made_on_an_older_version_is_refused_and_keeps_what_was_typed(client, clerk):
    client.force_login(clerk)
    client.post(reverse("people:create"), post_data())
    person = Person.objects.get()
    url = reverse("people:edit", args=[person.pk])
    assert f'name="version" value="{person.version}"' in client.get(url).content.decode()
    seen = person.version
    assert client.post(url, post_data(post="处长", version=seen)).status_code == 302

    response = client.post(url, post_data(post="调研员", version=seen))  # read before that save

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this person" in html and "调研员" in html
    person.refresh_from_db()
    assert person.post == "处长" and person.version == seen + 1


def test_the_person_form_opens_inside_the_application_form_and_says_who_was_added(client, clerk):
    client.force_login(clerk)
    url = reverse("people:create") + "?popup=1"
    page = client.get(url)
    assert page.status_code == 200 and page["X-Frame-Options"] == "SAMEORIGIN"
    assert "navbar" not in page.content.decode()
    added = client.post(url, post_data())
    assert added.status_code == 200
    assert 'data-person-added="' in added.content.decode()
    # Elsewhere the page may not be framed.
    assert client.get(reverse("people:list"))["X-Frame-Options"] == "DENY"
