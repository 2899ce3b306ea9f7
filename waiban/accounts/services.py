from django.db import transaction
from django.utils.translation import gettext as _

from waiban.accounts.models import Unit, User
from waiban.accounts.roles import MAX_CLERKS_PER_UNIT, Role
from waiban.core.audit import audit_record
from waiban.core.errors import ServiceError


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
