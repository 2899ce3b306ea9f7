import pytest
from django.urls import reverse

from waiban.core.models import AuditEvent
from waiban.testing.factories import DelegationFactory, PersonFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(role="sys_admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def test_an_admin_edit_is_audited_with_old_and_new_values(admin_client):
    unit = UnitFactory(name="旧名称")
    url = reverse("admin:accounts_unit_change", args=[unit.pk])
    response = admin_client.post(
        url,
        {
            "name": "新名称",
            "level": unit.level,
            "authority": unit.authority_id,
            "uscc": unit.uscc,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action="admin.accounts.unit.update")
    assert event.actor == admin_client.user
    assert event.old_values == {"name": "旧名称"}
    assert event.new_values == {"name": "新名称"}


def test_a_delegations_state_version_and_case_number_cannot_be_edited_in_the_admin(
    admin_client,
):
    delegation = DelegationFactory(submitted=True)
    response = admin_client.get(reverse("admin:visits_delegation_change", args=[delegation.pk]))
    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert not {"state", "version", "case_number"} & set(form_fields)
    assert "title" in form_fields


def test_history_and_audit_rows_are_read_only_in_the_admin(admin_client):
    DelegationFactory(submitted=True)
    for name in ("core_auditevent", "visits_delegationevent"):
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:{name}_add")).status_code == 403


def test_the_people_list_never_shows_an_id_number(admin_client):
    person = PersonFactory()
    response = admin_client.get(reverse("admin:people_person_changelist"))
    assert person.name_zh in response.content.decode()
    assert person.id_number not in response.content.decode()
    found = admin_client.get(
        reverse("admin:people_person_changelist"), {"q": person.id_number}
    ).context["cl"]
    assert list(found.result_list) == [person]
