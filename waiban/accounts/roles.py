"""The roles of DESIGN.md §1 and what they group into."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    UNIT_CLERK = "unit_clerk", _("Unit clerk")
    UNIT_HEAD = "unit_head", _("Unit head")
    TRAVELLER = "traveller", _("Traveller")
    WINDOW_CLERK = "window_clerk", _("Window clerk")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver")
    PASSPORT_OFFICER = "passport_officer", _("Passport officer")
    VISA_OFFICER = "visa_officer", _("Visa officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    SYS_ADMIN = "sys_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


UNIT_ROLES = {Role.UNIT_CLERK, Role.UNIT_HEAD, Role.TRAVELLER}
OFFICE_ROLES = {
    Role.WINDOW_CLERK,
    Role.REVIEWER,
    Role.APPROVER,
    Role.PASSPORT_OFFICER,
    Role.VISA_OFFICER,
    Role.SUPERVISOR,
}
ADMIN_ROLES = {Role.SYS_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}


class ApproverPosition(models.TextChoices):
    """Which approval level an approver can sign for (分级授权)."""

    DIVISION_HEAD = "division_head", _("Division head")
    OFFICE_LEADER = "office_leader", _("Office leader")


MAX_CLERKS_PER_UNIT = 2
