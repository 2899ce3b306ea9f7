import pytest
from django.urls import reverse

from waiban.accounts.models import Unit
from waiban.accounts.roles import Role
from waiban.accounts.services import user_create
from waiban.accounts.uscc import uscc_error
from waiban.core.errors import ServiceError
from waiban.core.models import AuditEvent
from waiban.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_unit_takes_a_second_clerk_but_refuses_a_third(unit):
    for name in ("c1", "c2"):
        user_create(
            actor=None, username=name, password="x-long-password", role=Role.UNIT_CLERK, unit=unit
        )
    with pytest.raises(ServiceError) as exc:
        user_create(
            actor=None, username="c3", password="x-long-password", role=Role.UNIT_CLERK, unit=unit
        )
    assert exc.value.code == "unit_clerk_limit"
    assert AuditEvent.objects.filter(action="user.create").count() == 2


@pytest.mark.parametrize(
    "code, problem",
    [
        ("91110000600037341L", None),
        ("91110000600037341X", "check character"),
        ("9111000060003734", "18 characters"),
        ("91110000600037341O", "not allowed"),
    ],
)
def test_credit_codes_are_checked_by_their_check_character(code, problem):
    error = uscc_error(code)
    if problem is None:
        assert error is None
    else:
        assert problem in error


def test_a_unit_with_a_wrong_credit_code_does_not_validate(authority):
    unit = Unit(name="测试", level="provincial", authority=authority, uscc="91110000600037341X")
    with pytest.raises(Exception) as exc:
        unit.full_clean()
    assert "uscc" in exc.value.message_dict


@pytest.mark.parametrize(
    "role, allowed, forbidden",
    [
        (Role.SYS_ADMIN, "visits/approvalchainstep", "accounts/user"),
        (Role.SECURITY_ADMIN, "accounts/user", "core/auditevent"),
        (Role.AUDIT_ADMIN, "core/auditevent", "visits/approvalchainstep"),
    ],
)
def test_each_administrator_reaches_only_their_own_part_of_the_admin_site(
    client, role, allowed, forbidden
):
    admin = UserFactory(role=role)
    admin.full_clean()
    admin.save()
    assert admin.is_staff
    client.force_login(admin)
    assert client.get(f"/admin/{allowed}/").status_code == 200
    assert client.get(f"/admin/{forbidden}/").status_code == 403


def test_office_staff_and_clerks_cannot_enter_the_admin_site(client, clerk, staff):
    for user in (clerk, staff["reviewer"]):
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302 and reverse("admin:login") in response.url


def test_logging_in_and_out_is_audited_with_the_address(client, clerk):
    client.post(reverse("login"), {"username": clerk.username, "password": "pass-for-tests-1"})
    client.post(reverse("logout"))
    events = AuditEvent.objects.filter(actor=clerk).order_by("id")
    assert [e.action for e in events] == ["auth.login", "auth.logout"]
    assert events[0].ip == "127.0.0.1"


def test_a_traveller_sees_their_own_submitted_trips_and_nothing_else(client, unit):
    from waiban.testing.factories import DelegationFactory

    mine = DelegationFactory(unit=unit, submitted=True)
    DelegationFactory(unit=unit, submitted=True)  # someone else's
    traveller = UserFactory(role=Role.TRAVELLER, unit=unit, person=mine.leader)
    client.force_login(traveller)
    html = client.get(reverse("visits:mine")).content.decode()
    assert f'data-trip="{mine.case_number}"' in html
    assert html.count("data-trip=") == 1
