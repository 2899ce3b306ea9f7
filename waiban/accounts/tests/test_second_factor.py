"""The second factor: administrators must enrol a TOTP app and give its code at every log-in;
recovery codes work once; wrong codes are refused and audited."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from waiban.accounts.roles import Role
from waiban.core.models import AuditEvent
from waiban.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests-1"


@pytest.fixture(autouse=True)
def _administrators_need_it(settings):
    settings.OTP_REQUIRED_ROLES = {Role.SYS_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
    # No waiting after a wrong code here; test_wrong_codes_make_the_next_try_wait proves it.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _admin(role=Role.SECURITY_ADMIN):
    user = UserFactory(role=role)
    user.full_clean()
    user.save()
    return user


def _code(device, steps_ahead: int = 0) -> str:
    """The code the app shows now (or ``steps_ahead`` periods later: a code is accepted once,
    so a second log-in in the same 30 seconds needs the next one, within the tolerance)."""
    device.refresh_from_db()
    drift = device.drift + steps_ahead
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def _login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _enrol(client, user) -> list[str]:
    client.get(reverse("otp_enrol"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("otp_enrol"), {"code": _code(device)})
    return response.context["codes"]


def test_an_administrator_without_an_app_is_sent_to_enrol_before_anything_else(client):
    admin = _admin()
    _login(client, admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == reverse("otp_enrol")
    page = client.get(reverse("otp_enrol")).content.decode()
    assert 'data-testid="otp-required"' in page and "<svg" in page
    # The key to type by hand is the base32 the QR code carries, as the apps expect it.
    device = TOTPDevice.objects.get(user=admin)
    typed = re.search(r'data-testid="otp-secret">([^<]+)<', page).group(1).replace(" ", "")
    assert f"secret={typed}" in device.config_url


def test_a_wrong_code_does_not_enrol(client):
    admin = _admin()
    _login(client, admin)
    client.get(reverse("otp_enrol"))
    response = client.post(reverse("otp_enrol"), {"code": "000000"})
    assert 'data-field-error="code"' in response.content.decode()
    assert not TOTPDevice.objects.get(user=admin).confirmed
    assert client.get("/admin/").status_code == 302


def test_after_enrolment_the_admin_site_opens_and_the_next_login_asks_for_the_code(client):
    admin = _admin()
    _login(client, admin)
    codes = _enrol(client, admin)
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrol", actor=admin).exists()
    client.post(reverse("logout"))
    _login(client, admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == reverse("otp_verify")
    device = TOTPDevice.objects.get(user=admin)
    client.post(reverse("otp_verify"), {"code": _code(device)})  # the enrolment's code again
    assert client.get("/admin/").status_code == 302  # a code is never accepted twice
    client.post(reverse("otp_verify"), {"code": _code(device, steps_ahead=1)})
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_at_login_is_refused_and_audited(client):
    admin = _admin()
    _login(client, admin)
    _enrol(client, admin)
    client.post(reverse("logout"))
    _login(client, admin)
    response = client.post(reverse("otp_verify"), {"code": "123456"})
    assert 'data-field-error="code"' in response.content.decode()
    assert client.get("/admin/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.otp_failed", actor=admin).exists()


def test_a_recovery_code_works_once(client):
    admin = _admin()
    _login(client, admin)
    codes = _enrol(client, admin)
    for attempt in range(2):
        client.post(reverse("logout"))
        _login(client, admin)
        client.post(reverse("otp_verify"), {"code": codes[0].upper()})
        status = client.get("/admin/").status_code
        assert status == (200 if attempt == 0 else 302)


def test_office_staff_may_enrol_and_are_then_asked_too(client, staff):
    reviewer = staff["reviewer"]
    _login(client, reviewer)
    assert client.get(reverse("visits:workbench")).status_code == 200  # not required
    _enrol(client, reviewer)
    client.post(reverse("logout"))
    _login(client, reviewer)
    assert client.get(reverse("visits:workbench")).url == reverse("otp_verify")


def test_a_unit_clerk_is_never_asked(client, clerk):
    _login(client, clerk)
    assert client.get(reverse("visits:list")).status_code == 200
    assert client.get(reverse("otp_enrol")).status_code == 302  # not offered


def test_wrong_codes_make_the_next_try_wait(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    admin = _admin()
    _login(client, admin)
    _enrol(client, admin)
    client.post(reverse("logout"))
    _login(client, admin)
    client.post(reverse("otp_verify"), {"code": "123456"})
    device = TOTPDevice.objects.get(user=admin)
    client.post(reverse("otp_verify"), {"code": _code(device, steps_ahead=1)})
    assert client.get("/admin/").status_code == 302  # right, but within the wait
