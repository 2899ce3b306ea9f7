"""Log-in throttling per account and per address, audited attempts, session limits, the
password change and the reset that forces it, and the password rules."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.accounts.sessions import SEEN, STARTED
from waiban.core.models import AuditEvent
from waiban.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "pass-for-tests-1"


def _login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _admin(role):
    user = UserFactory(role=role)
    user.full_clean()  # the role decides is_staff
    user.save()
    return user


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_after_the_failure_limit_does_not_log_in(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, clerk.username, "wrong").status_code == 200
    assert _login(client, clerk.username, "wrong").status_code == 429  # the one that locks
    response = _login(client, clerk.username, RIGHT)
    assert response.status_code == 429
    assert 'data-error="account-locked"' in response.content.decode()
    assert not _logged_in(client)


def test_a_locked_account_does_not_lock_a_colleague_at_the_same_address(client, clerk, unit):
    colleague = UserFactory(role=Role.UNIT_HEAD, unit=unit)
    for _ in range(6):
        _login(client, clerk.username, "wrong")
    assert _login(client, colleague.username, RIGHT).status_code == 302
    assert _logged_in(client)


def test_a_success_before_the_limit_clears_the_count(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, clerk.username, "wrong")
    assert _login(client, clerk.username, RIGHT).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, clerk.username, "wrong")
    assert _login(client, clerk.username, RIGHT).status_code == 302


def test_an_address_trying_many_accounts_is_refused(client, unit, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    victim = UserFactory(role=Role.UNIT_CLERK, unit=unit)
    for n in range(4):
        _login(client, f"guess{n}", "wrong")
    response = _login(client, victim.username, RIGHT)
    assert not _logged_in(client)
    assert "Too many failed log-ins from your address" in response.content.decode()
    # Another address is not affected.
    assert _login(client, victim.username, RIGHT, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_failed_and_successful_logins_are_audited_without_the_typed_text(client, clerk, settings):
    _login(client, clerk.username, "wrong")
    _login(client, "no-such-user", "wrong")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, clerk.username, "wrong")
    _login(client, clerk.username, RIGHT)
    failed = AuditEvent.objects.filter(action="auth.login_failed")
    assert failed.filter(object_id=str(clerk.pk)).exists()
    assert failed.filter(object_id="", object_type="accounts.user").count() == 1
    assert AuditEvent.objects.filter(action="auth.login_locked", object_id=str(clerk.pk)).exists()
    assert not AuditEvent.objects.filter(object_repr__icontains="no-such-user").exists()
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    client.logout()
    other = UserFactory(role=Role.UNIT_HEAD, unit=clerk.unit)
    _login(client, other.username, RIGHT)
    assert AuditEvent.objects.filter(action="auth.login", actor=other).exists()


def test_the_security_administrator_can_unlock_an_account(client, clerk, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, clerk.username, "wrong")
    security = _admin(Role.SECURITY_ADMIN)
    client.force_login(security)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    attempt = AccessAttempt.objects.get(username=clerk.username)
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    client.logout()
    assert _login(client, clerk.username, RIGHT).status_code == 302


# --- sessions -------------------------------------------------------------------------------


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_a_session_idle_past_the_limit_is_logged_out(client, clerk, settings):
    client.force_login(clerk)
    assert client.get(reverse("visits:list")).status_code == 200
    _age_session(client, **{SEEN: settings.SESSION_IDLE_SECONDS + 5})
    response = client.get(reverse("visits:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not _logged_in(client)


def test_an_active_session_ends_at_its_absolute_lifetime(client, clerk, settings):
    client.force_login(clerk)
    client.get(reverse("visits:list"))
    _age_session(client, **{STARTED: settings.SESSION_ABSOLUTE_SECONDS + 5, SEEN: 10})
    response = client.get(reverse("visits:list"))
    assert response.status_code == 302 and not _logged_in(client)


def test_the_idle_limit_is_a_setting(client, clerk, settings):
    settings.SESSION_IDLE_SECONDS = 5 * 60
    client.force_login(clerk)
    client.get(reverse("visits:list"))
    _age_session(client, **{SEEN: 6 * 60})
    assert client.get(reverse("visits:list")).status_code == 302
    client.force_login(clerk)
    client.get(reverse("visits:list"))
    _age_session(client, **{SEEN: 4 * 60})
    assert client.get(reverse("visits:list")).status_code == 200


# --- passwords ------------------------------------------------------------------------------

NEW = "Gx7-harbour-lantern"


def test_every_user_can_change_their_password(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("password_change"),
        {"old_password": RIGHT, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(NEW)
    assert AuditEvent.objects.filter(action="auth.password_change", actor=clerk).exists()


def test_a_rejected_new_password_is_shown_beside_its_field(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("password_change"),
        {"old_password": RIGHT, "new_password1": "abcdefghijk", "new_password2": "abcdefghijk"},
    )
    assert response.status_code == 200
    assert 'data-field-error="new_password2"' in response.content.decode()


def test_a_reset_by_the_security_administrator_forces_a_change_at_next_login(client, clerk):
    security = _admin(Role.SECURITY_ADMIN)
    client.force_login(security)
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    response = client.post(
        url,
        {"password1": "Temp-pass-2026x", "password2": "Temp-pass-2026x", "usable_password": "true"},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.must_change_password
    client.logout()
    assert _login(client, clerk.username, "Temp-pass-2026x").status_code == 302
    page = client.get(reverse("visits:list"))
    assert page.status_code == 302 and page.url == reverse("password_change")
    form = client.get(reverse("password_change")).content.decode()
    assert 'data-testid="must-change-password"' in form
    client.post(
        reverse("password_change"),
        {"old_password": "Temp-pass-2026x", "new_password1": NEW, "new_password2": NEW},
    )
    clerk.refresh_from_db()
    assert not clerk.must_change_password
    assert client.get(reverse("visits:list")).status_code == 200


@pytest.mark.parametrize(
    "password, code",
    [
        ("Sh0rt-pw", "password_too_short"),
        ("alllowercaseletters", "password_too_simple"),
        ("12345678901234", "password_entirely_numeric"),
        ("Password1234", "password_too_common"),
    ],
)
def test_the_password_rules_refuse_weak_passwords(password, code):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert code in {e.code for e in caught.value.error_list}


def test_a_password_like_the_user_name_is_refused():
    user = UserFactory.build(username="zhangsanfeng", role=Role.UNIT_CLERK)
    with pytest.raises(ValidationError):
        validate_password("Zhangsanfeng-1", user)
    validate_password(NEW, user)


def test_the_admin_sites_login_is_the_throttled_one(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/admin/"


def test_a_user_name_longer_than_any_account_is_a_failed_log_in_not_a_server_error(client):
    response = client.post(reverse("login"), {"username": "x" * 10000, "password": "whatever"})
    assert response.status_code == 200
    assert response.context["form"].errors
