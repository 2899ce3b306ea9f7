"""The refusals every workflow makes before it moves a row, each with its stable error code.

Delegations, plans and passports each keep their own transitions table, service functions,
history rows and audit values: those differ (a delegation's deadline, a passport's status). What
they share is how a move is refused, and the codes the UI and the tests key on ("stale_version",
"wrong_role", "invalid_transition"), so those live here once. The caller holds the row lock
(select_for_update) and passes its own words: the messages say "case", "plan" or "passport" and
are translated as such.
"""

from django.utils.translation import gettext as _

from waiban.core.errors import PermissionDenied, StateConflict


def check_version(row, expected_version, *, message) -> None:
    """Refuse when the row has moved on since the actor read it (another user acted first).

    ``expected_version`` None: there is nothing to compare (a command, the demo, a follow-up
    step). ``message`` may name the row's state as %(state)s.
    """
    if expected_version is not None and row.version != int(expected_version):
        raise StateConflict("stale_version", message % {"state": row.get_state_display()})


def check_role(actor, roles, transition) -> None:
    """Refuse an actor whose role is not among those the table allows for this move."""
    if actor.role not in roles:
        raise PermissionDenied(
            "wrong_role", _("Your role cannot do this: %(action)s.") % {"action": transition.label}
        )


def check_source_state(row, transition, *, message, field="state") -> None:
    """Refuse a move the table does not allow from the row's current state (or status).

    ``field`` is the row's state field; ``message`` names its value after it (%(state)s or
    %(status)s) and the move as %(action)s.
    """
    if getattr(row, field) not in transition.sources:
        shown = getattr(row, f"get_{field}_display")()
        raise StateConflict(
            "invalid_transition", message % {field: shown, "action": transition.label}
        )
