"""Admin-site permissions by role: the three separated administrators (三权分立).

Each administrator role gets the permissions of its own job and nothing else, whatever is
ticked on the user: the system administrator configures, the security administrator manages
accounts, the audit administrator reads the audit trail. None can do another's job.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from waiban.accounts.roles import Role

_CONFIGURE = ["view", "add", "change"]
ROLE_PERMISSIONS = {
    Role.SYS_ADMIN: {
        ("accounts", "authority"): _CONFIGURE,
        ("accounts", "unit"): _CONFIGURE,
        ("core", "holidayday"): [*_CONFIGURE, "delete"],
        ("visits", "approvalchainstep"): [*_CONFIGURE, "delete"],
        ("visits", "stagelimit"): [*_CONFIGURE, "delete"],
        # Rule versions are append-only: a change is a new version, so add and view only.
        ("rules", "ruleversion"): ["view", "add"],
        # Background work: looked at, and a failed message retried (an admin action).
        ("outbox", "outboxmessage"): ["view"],
        ("outbox", "periodicjob"): ["view"],
        # Who is told of which move, through which channels; and what went out.
        ("notices", "noticeroute"): [*_CONFIGURE, "delete"],
        ("notices", "noticedelivery"): ["view"],
        # The visa regime table: editions are loaded from a file (each row may be corrected
        # here, audited); embassies and their default lead times are configuration.
        ("visas", "regimeedition"): ["view"],
        ("visas", "visaregime"): [*_CONFIGURE, "delete"],
        ("visas", "embassy"): _CONFIGURE,
        # The public service hall: the catalogue (guides are append-only versions), the windows.
        ("hall", "serviceitem"): _CONFIGURE,
        ("hall", "serviceguideversion"): ["view", "add"],
        ("hall", "servicefile"): [*_CONFIGURE, "delete"],
        ("hall", "window"): _CONFIGURE,
        ("hall", "businesstype"): _CONFIGURE,
        ("hall", "timeslot"): _CONFIGURE,
        ("hall", "traveladvisory"): [*_CONFIGURE, "delete"],
        # Confirms or refuses an administrator change the security administrator proposed.
        ("accounts", "adminproposal"): ["view"],
    },
    Role.SECURITY_ADMIN: {
        ("accounts", "user"): _CONFIGURE,
        # Locked log-ins (django-axes): looked at, and unlocked by deleting the attempt.
        ("axes", "accessattempt"): ["view", "delete"],
        ("axes", "accesslog"): ["view"],
        ("accounts", "adminproposal"): ["view", "add"],
    },
    Role.AUDIT_ADMIN: {
        ("core", "auditevent"): ["view"],
        ("visits", "delegationevent"): ["view"],
        ("rules", "finding"): ["view"],
        ("watchlists", "listimport"): ["view"],
        ("watchlists", "screeninghit"): ["view"],
        ("outbox", "outboxmessage"): ["view"],
        ("outbox", "periodicjob"): ["view"],
        ("visas", "visabatchevent"): ["view"],
        ("accounts", "adminproposal"): ["view"],
    },
}


def role_permissions(role: str) -> set[str]:
    return {
        f"{app}.{action}_{model}"
        for (app, model), actions in ROLE_PERMISSIONS.get(role, {}).items()
        for action in actions
    }


class RoleBackend(ModelBackend):
    """Permissions come from the role; per-user or group grants are ignored on purpose."""

    def get_user_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return role_permissions(user_obj.role)

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_user(self, user_id):
        """The user of a request, with the unit and office most pages name: one query."""
        users = get_user_model()._default_manager.select_related("unit", "authority")
        try:
            user = users.get(pk=user_id)
        except (get_user_model().DoesNotExist, ValueError, TypeError):
            return None
        return user if self.user_can_authenticate(user) else None
