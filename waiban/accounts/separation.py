"""The three separated administrators (三权分立) in the service layer.

- The security administrator manages ordinary accounts and roles, but never an
  administrator's account (not even their own role): those changes are proposals.
- A proposal is carried out only when a *different* administrator (system or security)
  confirms it; the audit administrator reads and changes nothing.
- The system administrator configures and sees no personal data (accounts.permissions).
"""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.accounts.models import AdminProposal, User
from waiban.accounts.roles import ADMIN_ROLES, Role
from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError

CONFIRMING_ROLES = {Role.SYS_ADMIN, Role.SECURITY_ADMIN}


def may_manage_directly(actor, target_role: str, target=None) -> bool:
    """Whether ``actor`` may create or change an account of ``target_role`` at once: only the
    security administrator, only ordinary accounts, never their own."""
    if getattr(actor, "role", None) != Role.SECURITY_ADMIN:
        return False
    if target is not None and target.pk == actor.pk:
        return False
    if target is not None and target.role in ADMIN_ROLES:
        return False
    return target_role not in ADMIN_ROLES


def _refuse_unless_security_admin(actor):
    if getattr(actor, "role", None) != Role.SECURITY_ADMIN:
        raise PermissionDenied(
            "not_security_admin", _("Only the security administrator proposes account changes.")
        )


def admin_proposal_create(
    *,
    actor,
    kind: str,
    target=None,
    username: str = "",
    full_name: str = "",
    role: str = "",
    is_active: bool = True,
    password: str = "",
) -> AdminProposal:
    _refuse_unless_security_admin(actor)
    if kind == AdminProposal.Kind.CREATE:
        if role not in ADMIN_ROLES:
            raise ServiceError(
                "not_an_admin_role", _("Ordinary accounts need no proposal."), field="role"
            )
        if User.objects.filter(username=username).exists():
            raise ServiceError(
                "username_taken", _("This user name is already taken."), field="username"
            )
    elif target is None or target.role not in ADMIN_ROLES:
        raise ServiceError("not_an_admin", _("Choose an administrator's account."), field="target")
    if target is not None and target.pk == actor.pk:
        raise PermissionDenied(
            "own_account", _("Nobody proposes changes to their own administrator account.")
        )
    if kind == AdminProposal.Kind.UPDATE and role and role not in ADMIN_ROLES:
        raise ServiceError(
            "not_an_admin_role", _("An administrator stays an administrator."), field="role"
        )
    password_hash = ""
    if kind in (AdminProposal.Kind.CREATE, AdminProposal.Kind.RESET_PASSWORD):
        try:
            validate_password(password)
        except ValidationError as exc:
            raise ServiceError("weak_password", " ".join(exc.messages), field="password") from exc
        password_hash = make_password(password)
    with transaction.atomic():
        proposal = AdminProposal.objects.create(
            kind=kind,
            target=target,
            username=username,
            full_name=full_name,
            role=role,
            is_active=is_active,
            password_hash=password_hash,
            proposed_by=actor,
        )
        audit_record(
            actor=actor,
            action="accounts.admin_proposal.create",
            obj=proposal,
            new={"kind": kind, "target": target, "username": username, "role": role},
        )
    return proposal


def admin_proposal_decide(*, actor, proposal: AdminProposal, confirm: bool) -> AdminProposal:
    """A second administrator confirms (the change is made now) or refuses a proposal."""
    if getattr(actor, "role", None) not in CONFIRMING_ROLES:
        raise PermissionDenied(
            "cannot_confirm", _("Only a system or security administrator decides proposals.")
        )
    with transaction.atomic():
        proposal = AdminProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != AdminProposal.Status.PENDING:
            raise ServiceError("already_decided", _("This proposal was already decided."))
        if proposal.proposed_by_id == actor.pk:
            raise PermissionDenied(
                "same_administrator", _("A second administrator must confirm your proposal.")
            )
        if proposal.target_id == actor.pk:
            raise PermissionDenied(
                "own_account", _("Nobody confirms a change to their own account.")
            )
        user = _carry_out(proposal) if confirm else None
        proposal.status = (
            AdminProposal.Status.CONFIRMED if confirm else AdminProposal.Status.REFUSED
        )
        proposal.decided_by = actor
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
        if user is not None and proposal.target_id is None:
            proposal.target = user
            proposal.save(update_fields=["target"])
        audit_record(
            actor=actor,
            action="accounts.admin_proposal.confirm"
            if confirm
            else "accounts.admin_proposal.refuse",
            obj=proposal,
            new={"kind": proposal.kind, "target": user or proposal.target},
        )
    return proposal


def _carry_out(proposal: AdminProposal) -> User:
    kind = proposal.kind
    if kind == AdminProposal.Kind.CREATE:
        user = User(username=proposal.username, full_name=proposal.full_name, role=proposal.role)
        user.password = proposal.password_hash
        user.must_change_password = True  # two people knew it
        user.full_clean()
        user.save()
        audit_record(
            actor=proposal.proposed_by,
            action="user.create",
            obj=user,
            new={"username": user.username, "role": user.role, "proposal": proposal.pk},
        )
        return user
    user = User.objects.select_for_update().get(pk=proposal.target_id)
    old = {"role": user.role, "is_active": user.is_active, "full_name": user.full_name}
    if kind == AdminProposal.Kind.RESET_PASSWORD:
        user.password = proposal.password_hash
        user.must_change_password = True
        new = {"password": "changed", "must_change_password": True}
        old = {}
    else:
        user.role = proposal.role or user.role
        user.is_active = proposal.is_active
        user.full_name = proposal.full_name or user.full_name
        new = {"role": user.role, "is_active": user.is_active, "full_name": user.full_name}
    user.full_clean()
    user.save()
    audit_record(
        actor=proposal.proposed_by,
        action="user.update",
        obj=user,
        old=old,
        new={**new, "proposal": proposal.pk},
    )
    return user
