"""Visa regimes, embassy batches and their table of allowed moves (DESIGN.md §8).

preparing ──send──► sent ──receive──► back
    │                 │
    └────cancel───────┴──► cancelled

A batch is one delegation's passports for one embassy. Its visa note (照会) is issued while it
is being prepared; each passport's result is recorded while the batch is out (or on its return).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waiban.accounts.roles import Role
from waiban.core.transitions import Transition, transitions_table


class Regime(models.TextChoices):
    EXEMPT = "exempt", _("Visa-exempt")
    VISA_REQUIRED = "visa_required", _("Visa required")
    ON_ARRIVAL = "on_arrival", _("Visa on arrival")
    E_VISA = "e_visa", _("E-visa")


# The regimes for which the passport goes to an embassy before the trip.
EMBASSY_REGIMES = frozenset({Regime.VISA_REQUIRED})
# The regimes that need a visa at all (an e-visa is applied for online, ahead of the trip).
VISA_REGIMES = frozenset({Regime.VISA_REQUIRED, Regime.E_VISA})


class Condition(models.TextChoices):
    """A condition of a regime row that the system can check; others are text for people."""

    NONE = "", _("None")
    MINISTERIAL_DELEGATION = (
        "ministerial_delegation",
        _("Only for members of a ministerial-level delegation"),
    )


class BatchState(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    SENT = "sent", _("At the embassy")
    BACK = "back", _("Back from the embassy")
    CANCELLED = "cancelled", pgettext_lazy("visa batch", "Cancelled")


OPEN_BATCH_STATES = frozenset({BatchState.PREPARING, BatchState.SENT})


class Result(models.TextChoices):
    PENDING = "pending", _("Waiting for the embassy")
    GRANTED = "granted", _("Visa granted")
    REFUSED = "refused", _("Visa refused")
    RETURNED = "returned", _("Returned without a decision")


class Entries(models.TextChoices):
    SINGLE = "single", _("Single entry")
    DOUBLE = "double", _("Double entry")
    MULTIPLE = "multiple", _("Multiple entries")


OFFICER = {Role.VISA_OFFICER}


def _t(action, sources, target, label, tell=(), **extra):
    return Transition(
        action, frozenset(sources), target, frozenset(OFFICER), label, tell=tell, **extra
    )


BATCH_TRANSITIONS = transitions_table(
    _t(
        "send",
        {BatchState.PREPARING},
        BatchState.SENT,
        _("Send to the embassy"),
        tell=("unit",),
        done=_("The batch is at the embassy."),
        timeline=_("Passports sent to the embassy"),
    ),
    _t(
        "receive",
        {BatchState.SENT},
        BatchState.BACK,
        _("Passports back from the embassy"),
        tell=("unit",),
        done=_("The batch is back."),
        timeline=_("Passports back from the embassy"),
    ),
    _t(
        "cancel",
        {BatchState.PREPARING, BatchState.SENT},
        BatchState.CANCELLED,
        pgettext_lazy("visa batch", "Cancel the batch"),
        tell=("unit",),
        done=_("The batch was cancelled."),
        timeline=_("Visa batch cancelled"),
        style="outline-danger",
    ),
)

EVENT_LABELS = {
    "create": _("Visa batch prepared"),
    "note": _("Visa note requested"),
    "result": _("Visa result recorded"),
    **{action: t.timeline for action, t in BATCH_TRANSITIONS.items()},
}


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))
