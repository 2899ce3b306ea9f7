"""The system administrator changes who hears of a move through which channels; audited."""

import pytest
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.core.models import AuditEvent
from waiban.notices.models import NoticeRoute
from waiban.notices.routing import channels_for
from waiban.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
ADD = reverse("admin:notices_noticeroute_add")


def test_the_system_administrator_turns_sms_off_for_one_move(client):
    admin = UserFactory(role=Role.SYS_ADMIN, is_staff=True)
    client.force_login(admin)
    page = client.get(ADD)
    assert page.status_code == 200 and "delegation:send_back" in page.content.decode()
    response = client.post(
        ADD, {"move": "delegation:send_back", "audience": "unit", "inbox": "on", "email": "on"}
    )
    assert response.status_code == 302
    route = NoticeRoute.objects.get()
    assert (route.workflow, route.action, route.audience) == ("delegation", "send_back", "unit")
    assert channels_for("delegation", "send_back", "unit") == {"inbox", "email"}
    assert AuditEvent.objects.filter(object_type="notices.noticeroute").exists()


def test_a_move_that_does_not_exist_is_refused_beside_the_field(client):
    client.force_login(UserFactory(role=Role.SYS_ADMIN, is_staff=True))
    response = client.post(ADD, {"move": "delegation:fly", "audience": "unit", "inbox": "on"})
    assert response.status_code == 200
    assert not NoticeRoute.objects.exists()


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.REVIEWER])
def test_other_roles_cannot_change_routes(client, role, authority):
    client.force_login(UserFactory(role=role, is_staff=True, authority=authority))
    assert client.post(ADD, {"move": "delegation:send_back", "audience": "unit"}).status_code in (
        302,
        403,
    )
    assert not NoticeRoute.objects.exists()
