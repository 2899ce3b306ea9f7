"""三权分立: each refusal of the three separated administrators, as a matrix."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from waiban.accounts.models import AdminProposal, User
from waiban.accounts.roles import ADMIN_ROLES, Role
from waiban.accounts.separation import admin_proposal_create, admin_proposal_decide
from waiban.accounts.services import user_create
from waiban.core.crypto import EncryptedTextField
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.models import AuditEvent
from waiban.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Strong-pass-2026x"


def _admin(role, **kwargs):
    user = UserFactory(role=role, **kwargs)
    user.full_clean()
    user.save()
    return user


@pytest.fixture
def admins():
    return {
        "sys": _admin(Role.SYS_ADMIN),
        "security": _admin(Role.SECURITY_ADMIN),
        "security2": _admin(Role.SECURITY_ADMIN),
        "audit": _admin(Role.AUDIT_ADMIN),
    }


# --- the security administrator and administrator accounts ---------------------------------


@pytest.mark.parametrize("role", sorted(ADMIN_ROLES))
def test_the_security_administrator_cannot_create_an_administrator_alone(admins, role):
    with pytest.raises(PermissionDenied) as caught:
        user_create(actor=admins["security"], username="x", password=STRONG, role=role)
    assert caught.value.code == "admin_needs_two"
    assert not User.objects.filter(username="x").exists()


def test_the_add_form_offers_no_administrator_role(client, admins):
    client.force_login(admins["security"])
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newsys",
            "usable_password": "true",
            "password1": STRONG,
            "password2": STRONG,
            "role": Role.SYS_ADMIN,
        },
    )
    assert response.status_code == 200  # the form again, with the error beside the role
    assert not User.objects.filter(username="newsys").exists()
    options = response.context["adminform"].form.fields["role"].choices
    assert not {value for value, _ in options} & ADMIN_ROLES


@pytest.mark.parametrize("target", ["sys", "audit", "security2", "security"])
def test_the_security_administrator_cannot_edit_an_administrator_nor_themselves(
    client, admins, target
):
    victim = admins[target]
    client.force_login(admins["security"])
    change = reverse("admin:accounts_user_change", args=[victim.pk])
    response = client.post(
        change, {"username": victim.username, "role": Role.UNIT_CLERK, "is_active": "on"}
    )
    assert response.status_code == 403
    victim.refresh_from_db()
    assert victim.role in ADMIN_ROLES


@pytest.mark.parametrize("target", ["sys", "audit", "security2", "security"])
def test_the_security_administrator_cannot_set_an_administrators_password(client, admins, target):
    victim = admins[target]
    client.force_login(admins["security"])
    url = reverse("admin:auth_user_password_change", args=[victim.pk])
    response = client.post(
        url, {"password1": STRONG, "password2": STRONG, "usable_password": "true"}
    )
    assert response.status_code == 403
    victim.refresh_from_db()
    assert not victim.check_password(STRONG)  # so nobody logs in as them


def test_the_security_administrator_manages_ordinary_accounts(client, admins, unit):
    client.force_login(admins["security"])
    clerk = UserFactory(role=Role.UNIT_CLERK, unit=unit)
    change = reverse("admin:accounts_user_change", args=[clerk.pk])
    response = client.post(
        change,
        {
            "username": clerk.username,
            "full_name": "新名字",
            "role": Role.UNIT_HEAD,
            "unit": unit.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.role == Role.UNIT_HEAD and clerk.full_name == "新名字"


# --- two administrators for an administrator's account -------------------------------------


def _propose_audit_admin(actor):
    return admin_proposal_create(
        actor=actor,
        kind=AdminProposal.Kind.CREATE,
        username="auditor2",
        full_name="审计员",
        role=Role.AUDIT_ADMIN,
        password=STRONG,
    )


def test_an_administrator_is_created_only_when_a_second_one_confirms(admins):
    proposal = _propose_audit_admin(admins["security"])
    assert not User.objects.filter(username="auditor2").exists()
    assert STRONG not in proposal.password_hash
    admin_proposal_decide(actor=admins["security2"], proposal=proposal, confirm=True)
    created = User.objects.get(username="auditor2")
    assert created.role == Role.AUDIT_ADMIN and created.is_staff
    assert created.check_password(STRONG) and created.must_change_password
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"accounts.admin_proposal.create", "accounts.admin_proposal.confirm"} <= actions


def test_the_proposer_cannot_confirm_their_own_proposal(admins):
    proposal = _propose_audit_admin(admins["security"])
    with pytest.raises(PermissionDenied) as caught:
        admin_proposal_decide(actor=admins["security"], proposal=proposal, confirm=True)
    assert caught.value.code == "same_administrator"
    assert not User.objects.filter(username="auditor2").exists()


@pytest.mark.parametrize("who", ["audit"])
def test_the_audit_administrator_cannot_confirm(admins, who):
    proposal = _propose_audit_admin(admins["security"])
    with pytest.raises(PermissionDenied):
        admin_proposal_decide(actor=admins[who], proposal=proposal, confirm=True)


@pytest.mark.parametrize("who", ["sys", "audit"])
def test_only_the_security_administrator_proposes(admins, who):
    with pytest.raises(PermissionDenied):
        _propose_audit_admin(admins[who])


def test_nobody_proposes_or_confirms_a_change_to_their_own_account(admins):
    with pytest.raises(PermissionDenied):
        admin_proposal_create(
            actor=admins["security"],
            kind=AdminProposal.Kind.UPDATE,
            target=admins["security"],
            role=Role.SYS_ADMIN,
        )
    proposal = admin_proposal_create(
        actor=admins["security"],
        kind=AdminProposal.Kind.UPDATE,
        target=admins["sys"],
        is_active=False,
        role=Role.SYS_ADMIN,
    )
    with pytest.raises(PermissionDenied):
        admin_proposal_decide(actor=admins["sys"], proposal=proposal, confirm=True)
    admin_proposal_decide(actor=admins["security2"], proposal=proposal, confirm=True)
    admins["sys"].refresh_from_db()
    assert not admins["sys"].is_active


def test_a_decided_proposal_cannot_be_decided_again(admins):
    proposal = _propose_audit_admin(admins["security"])
    admin_proposal_decide(actor=admins["sys"], proposal=proposal, confirm=False)
    with pytest.raises(ServiceError) as caught:
        admin_proposal_decide(actor=admins["security2"], proposal=proposal, confirm=True)
    assert caught.value.code == "already_decided"
    assert not User.objects.filter(username="auditor2").exists()


def test_a_proposal_through_the_admin_and_its_confirmation(client, admins):
    client.force_login(admins["security"])
    response = client.post(
        reverse("admin:accounts_adminproposal_add"),
        {
            "kind": "create",
            "username": "sys2",
            "full_name": "系统员",
            "role": Role.SYS_ADMIN,
            "is_active": "on",
            "password": "weak",
        },
    )
    assert response.status_code == 200  # a weak password is refused beside the field
    assert not AdminProposal.objects.exists()
    data = {
        "kind": "create",
        "username": "sys2",
        "full_name": "系统员",
        "role": Role.SYS_ADMIN,
        "is_active": "on",
        "password": STRONG,
    }
    assert client.post(reverse("admin:accounts_adminproposal_add"), data).status_code == 302
    proposal = AdminProposal.objects.get()
    client.force_login(admins["sys"])
    client.post(
        reverse("admin:accounts_adminproposal_changelist"),
        {"action": "confirm_selected", "_selected_action": [proposal.pk]},
    )
    assert User.objects.get(username="sys2").role == Role.SYS_ADMIN


# --- the audit administrator changes nothing; the system administrator sees no one ----------


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_audit_administrator_can_add_change_or_delete_nothing_in_the_admin(admins):
    request = _request(admins["audit"])
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label


def _holds_personal_data(model) -> bool:
    return model._meta.label in {"accounts.User", "core.AuditEvent", "axes.AccessAttempt"} or any(
        isinstance(f, EncryptedTextField) for f in model._meta.get_fields()
    )


def test_the_system_administrator_sees_no_personal_data_in_the_admin(admins):
    request = _request(admins["sys"])
    personal = [m for m in admin.site._registry if _holds_personal_data(m)]
    assert personal  # the test looks at something
    for model in personal:
        assert not admin.site._registry[model].has_view_permission(request), model._meta.label


def test_the_system_administrator_does_not_reach_the_peoples_pages(client, admins):
    client.force_login(admins["sys"])
    for url in ("/admin/accounts/user/", "/admin/core/auditevent/"):
        assert client.get(url).status_code == 403
