import pytest
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.core.models import AuditEvent
from waiban.notices.models import NoticePreference
from waiban.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("notices:preferences")


def test_a_user_sets_channels_quiet_hours_and_a_mobile_shown_masked(client, clerk):
    client.force_login(clerk)
    form = {"email": "me@example.org", "email_on": "on", "sms_on": "on"}
    bad = client.post(
        URL, {**form, "new_mobile": "12345", "quiet_from": "21:00", "quiet_until": "08:00"}
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert 'data-field-error="new_mobile"' in html
    assert 'value="12345"' in html  # what was typed is kept
    assert not NoticePreference.objects.exists()

    ok = client.post(
        URL, {**form, "new_mobile": "138 1234 5678", "quiet_from": "21:00", "quiet_until": "08:00"}
    )
    assert ok.status_code == 302
    preference = NoticePreference.objects.get(user=clerk)
    assert preference.mobile == "13812345678" and preference.has_mobile
    clerk.refresh_from_db()
    assert clerk.email == "me@example.org"
    page = client.get(URL).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    audit = AuditEvent.objects.get(action="notices.preferences")
    assert "13812345678" not in str(audit.new_values)

    # Left empty, the number on file stays; ticked, it goes.
    client.post(URL, {**form, "quiet_from": "21:00", "quiet_until": "08:00"})
    assert NoticePreference.objects.get(user=clerk).has_mobile
    client.post(URL, {**form, "forget_mobile": "on", "quiet_from": "21:00", "quiet_until": "08:00"})
    assert not NoticePreference.objects.get(user=clerk).has_mobile


@pytest.mark.parametrize("role", list(Role.values))
def test_every_role_has_its_own_settings_page(client, role, authority, unit):
    user = UserFactory(role=role, authority=authority, unit=unit)
    client.force_login(user)
    assert client.get(URL).status_code == 200
    assert client.get(reverse("notices:inbox")).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL).status_code == 302
