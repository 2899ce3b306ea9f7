from django.db import transaction
from django.utils.translation import gettext as _

from waiban.accounts.models import Unit, User
from waiban.accounts.roles import ADMIN_ROLES, MAX_CLERKS_PER_UNIT, Role
from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError


def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    unit=None,
    authority=None,
    approver_position: str = "",
) -> User:
    """``actor`` None is the installation itself (the demo seed, a first set-up command); a
    person never creates an administrator alone (accounts.separation)."""
    if actor is not None and role in ADMIN_ROLES:
        raise PermissionDenied(
            "admin_needs_two",
            _(
                "An administrator account is proposed by one administrator and confirmed by another."
            ),
            field="role",
        )
    with transaction.atomic():
        if role == Role.UNIT_CLERK and unit is not None:
            # Lock the unit so two admins cannot both add a "second" clerk at once.
            Unit.objects.select_for_update().get(pk=unit.pk)
            if User.objects.filter(unit=unit, role=Role.UNIT_CLERK, is_active=True).count() >= (
                MAX_CLERKS_PER_UNIT
            ):
                raise ServiceError(
                    "unit_clerk_limit",
                    _("A unit has at most %(n)d clerks.") % {"n": MAX_CLERKS_PER_UNIT},
                    field="unit",
                )
        user = User(
            username=username,
            role=role,
            full_name=full_name,
            unit=unit,
            authority=authority,
            approver_position=approver_position,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        audit_record(
            actor=actor,
            action="user.create",
            obj=user,
            new={"username": username, "role": role, "unit": unit, "authority": authority},
        )
        return user
