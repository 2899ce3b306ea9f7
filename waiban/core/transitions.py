"""The state machines' shared parts: the shape of a transitions table and the skeleton every
move goes through, with stable error codes ("not_found", "stale_version", "wrong_role",
"invalid_transition").

Delegations, plans, passports and control-list hits each keep their own table, service
functions, history rows and audit values: those differ (a delegation's deadline, a passport's
status). A table row (``Transition``) says everything the rest of the system derives from it:
who may make the move (buttons, dispatch and the role check), what its button and its message
say, how the history shows it, and whether the public progress page does. The skeleton is
``lock_for_move``: lock the row, check that the actor may see it, that it is the version the
actor saw, that the table allows the move from the row's state for the actor's role. The caller
then checks separation of duties, moves, and writes the history row and the audit event in the
same transaction.
"""

from dataclasses import dataclass, field

from django.dispatch import Signal
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, StateConflict

# The actor of a move made by the system itself (a daily job): ``actor`` None.
SYSTEM = "system"

# Sent by ``record_move`` inside the move's transaction, with ``workflow`` (the audit prefix),
# ``obj`` (the moved row), ``event`` (its history row), ``actor`` and ``action``: the notices
# write their outbox rows there, so they commit or roll back with the move.
moved = Signal()


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str | None  # None: decided by the service (an approval may stay pending)
    roles: frozenset  # the roles that may make the move; SYSTEM: the daily jobs
    label: object  # the button
    service: str = ""  # the dotted path of the service function that makes the move
    done: object = ""  # the message once made
    timeline: object = ""  # the history row's label
    public: bool = False  # shown on the public progress page
    text: str = ""  # the service's keyword for the form's text ("opinion", "reason"…), if any
    style: str = "primary"  # the button's colour (Bootstrap)
    confirm: object = ""  # a question to confirm before the move
    extra: dict = field(default_factory=dict)  # what a table of one workflow adds
    # Who is told of the move, by audience name (waiban.notices.audiences): "unit", "next"…
    # The channels of each audience are the office's (waiban.notices.routing).
    tell: tuple = ()

    def allows(self, role) -> bool:
        return role in self.roles

    @property
    def service_function(self):
        return import_string(self.service)


def transitions_table(*transitions: Transition) -> dict[str, Transition]:
    return {t.action: t for t in transitions}


def check_version(row, expected_version, *, message) -> None:
    """Refuse when the row has moved on since the actor read it (another user acted first).

    ``expected_version`` None: there is nothing to compare (a command, the demo, a follow-up
    step). ``message`` may name the row's state as %(state)s; a version that is not a number
    (a tampered form) is stale too.
    """
    if expected_version is None:
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = -1
    if row.version != expected:
        field_name = "state" if hasattr(row, "get_state_display") else "status"
        shown = getattr(row, f"get_{field_name}_display")()
        raise StateConflict("stale_version", message % {field_name: shown, "state": shown})


def check_role(actor, roles, transition) -> None:
    """Refuse an actor whose role is not among those the table allows for this move (the
    system, ``actor`` None, only where the table names SYSTEM)."""
    role = SYSTEM if actor is None else actor.role
    if role not in roles:
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


def lock_for_move(
    queryset,
    pk,
    *,
    actor,
    transition,
    expected_version=None,
    can_see=None,
    stale_message,
    not_now_message,
    not_found_message,
    field="state",
):
    """The skeleton's checks, in the order a user is told about them: the row (locked with
    select_for_update until the transaction ends; only the row itself, not what the queryset
    joins), that the actor may see it (else it does not exist for them), the version they saw,
    their role, the move from the row's state."""
    locked = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if locked is None or (actor is not None and can_see is not None and not can_see(actor, locked)):
        raise PermissionDenied("not_found", not_found_message)
    if hasattr(locked, "version"):
        check_version(locked, expected_version, message=stale_message)
    check_role(actor, transition.roles, transition)
    check_source_state(locked, transition, message=not_now_message, field=field)
    return locked


def record_move(
    locked,
    *,
    actor,
    action,
    target,
    history,
    audit_prefix,
    field="state",
    old=None,
    new=None,
    **history_fields,
):
    """The move itself, once the checks have passed and the caller holds the row lock: the new
    state (or status), the version bumped, the history row (``history``: the workflow's event
    model) and the audit event with the values before and after, all in the caller's
    transaction. ``history_fields`` fill the history row, the row's own foreign key among them
    (``plan=locked``)."""
    before = {field: getattr(locked, field), "version": locked.version, **(old or {})}
    setattr(locked, field, target)
    locked.version += 1
    locked.save()
    event = history.objects.create(
        actor=actor,
        action=action,
        **{f"from_{field}": before[field], f"to_{field}": target},
        **history_fields,
    )
    after = {field: target, "version": locked.version, **(new or {})}
    audit_record(actor=actor, action=f"{audit_prefix}.{action}", obj=locked, old=before, new=after)
    moved.send(
        sender=type(locked),
        workflow=audit_prefix,
        obj=locked,
        event=event,
        actor=actor,
        action=action,
    )
    return locked
