"""After the approval: the trip is cancelled, or it leaves, comes back and is closed.

Leaving and coming back follow the approved dates: the daily job ``trips_follow_dates`` moves
every case whose date has come, as the system (no actor). The unit's clerk or the passport
officer records them by hand when the real dates differ (an earlier return, a delayed flight).
A case is closed once nothing after the trip is outstanding (``closing_problems``): by the
daily job, or by a reviewer.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.core.errors import ServiceError
from waiban.visits.models import Delegation
from waiban.visits.moves import lock_case, move
from waiban.visits.states import State

log = logging.getLogger(__name__)


def delegation_cancel(*, delegation, actor, reason, expected_version=None) -> Delegation:
    """The unit gives up an approved trip. Its documents are revoked in the same transaction, so
    a cancelled trip never keeps a valid approval document; the trust bundle follows on commit."""
    from waiban.changes.services import changes_withdraw_for_cancel
    from waiban.documents.services import documents_revoke

    reason = (reason or "").strip()
    with transaction.atomic():
        # An open change request of the trip ends with it (request first, then the case: the
        # order in which a change's approval locks them).
        changes_withdraw_for_cancel(delegation=delegation, actor=actor)
        locked = lock_case(delegation, actor, "cancel", expected_version)
        if not reason:
            raise ServiceError(
                "reason_required", _("Say why the trip is cancelled."), field="opinion"
            )
        moved = move(locked, actor=actor, action="cancel", comment=reason)
        documents_revoke(delegation=moved, actor=actor, reason=reason)
        return moved


def delegation_depart(*, delegation, actor=None, expected_version=None, today=None):
    """The delegation has left: by the clerk or the passport officer, or the system on the
    approved departure date. Not before that date unless a person says so."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = lock_case(delegation, actor, "depart", expected_version)
        if actor is None and (locked.departure_date is None or locked.departure_date > today):
            raise ServiceError("not_yet", _("The approved departure date has not come yet."))
        return move(locked, actor=actor, action="depart")


def delegation_come_back(*, delegation, actor=None, expected_version=None, today=None):
    """The delegation is back home: the passports are now due in custody."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = lock_case(delegation, actor, "come_back", expected_version)
        if actor is None and (locked.return_date is None or locked.return_date > today):
            raise ServiceError("not_yet", _("The approved return date has not come yet."))
        return move(locked, actor=actor, action="come_back")


def closing_problems(delegation) -> list[str]:
    """What must still happen after the trip before its case can be closed, in plain words:
    the passports back in custody, the trip report accepted and the public notices before and
    after the trip recorded (waiban.reports)."""
    from waiban.passports.models import Loan
    from waiban.reports.selectors import aftertrip_closing_problems

    problems = []
    out = Loan.objects.filter(delegation_id=delegation.pk, returned_at=None).count()
    if out:
        problems.append(
            _("%(n)d passport(s) lent for this trip are not back in custody yet.") % {"n": out}
        )
    return problems + aftertrip_closing_problems(delegation)


def delegation_close(*, delegation, actor=None, expected_version=None):
    with transaction.atomic():
        locked = lock_case(delegation, actor, "close", expected_version)
        problems = closing_problems(locked)
        if problems:
            raise ServiceError("not_ready_to_close", " ".join(problems))
        return move(locked, actor=actor, action="close")


# The daily job: which move follows which date.
DATE_MOVES = (
    (State.APPROVED, "departure_date", delegation_depart),
    (State.TRAVELLING, "return_date", delegation_come_back),
)


def trips_follow_dates(*, today=None) -> dict[str, int]:
    """Move every case whose approved date has come (the system as actor), then close those
    back home with nothing outstanding. Each case is its own transaction: one that fails (or
    that a person moved meanwhile) is logged and left for tomorrow. Idempotent."""
    today = today or timezone.localdate()
    moved = {"depart": 0, "come_back": 0, "close": 0}
    for state, date_field, service in DATE_MOVES:
        due = Delegation.objects.filter(state=state, **{f"{date_field}__lte": today})
        for case in due.only("pk").iterator():
            moved[service.__name__.removeprefix("delegation_")] += _attempt(
                service, delegation=case, today=today
            )
    for case in Delegation.objects.filter(state=State.BACK_HOME).only("pk").iterator():
        if not closing_problems(case):
            moved["close"] += _attempt(delegation_close, delegation=case)
    return moved


def _attempt(service, **kwargs) -> int:
    try:
        service(**kwargs)
    except ServiceError as error:  # moved by a person meanwhile, or not ready
        log.info("%s left case %s: %s", service.__name__, kwargs["delegation"].pk, error.code)
        return 0
    return 1
