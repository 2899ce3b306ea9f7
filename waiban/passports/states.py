"""Passport kinds, statuses and the table of allowed status changes (DESIGN.md §3, §4)."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    DIPLOMATIC = "diplomatic", _("Diplomatic passport (外交护照)")
    SERVICE = "service", _("Service passport (公务护照)")
    OFFICIAL_ORDINARY = "official_ordinary", _("Official ordinary passport (公务普通护照)")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Official Hong Kong/Macao permit (因公往来港澳通行证)")


# DESIGN.md §7: diplomatic D/DE, service S/SE, official ordinary P/PE, 9 characters in all.
NUMBER_PREFIXES = {
    Kind.DIPLOMATIC: ("DE", "D"),
    Kind.SERVICE: ("SE", "S"),
    Kind.OFFICIAL_ORDINARY: ("PE", "P"),
}


class Status(models.TextChoices):
    APPLIED = "applied", _("Applied for")
    IN_PRODUCTION = "in_production", _("In production")
    IN_CUSTODY = "in_custody", _("In custody")
    LENT_OUT = "lent_out", _("Lent out")
    OVERDUE = "overdue", pgettext_lazy("passport status", "Overdue")
    LOST = "lost", _("Reported lost")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


# A passport the person still holds (or will hold): at most one per person and kind.
VALID_STATUSES = frozenset(
    {Status.APPLIED, Status.IN_PRODUCTION, Status.IN_CUSTODY, Status.LENT_OUT, Status.OVERDUE}
)
OUT_STATUSES = frozenset({Status.LENT_OUT, Status.OVERDUE})
# Gone for good: a production request for such a passport is void (its form revoked).
ENDED_STATUSES = frozenset({Status.CANCELLED, Status.LOST})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    label: object
    # Who is told (waiban.passports.notify): not of each passport lent or returned — the
    # trip's reminders speak of those together — but of what the unit must act on.
    tell: tuple = ()


def _t(action, sources, target, label, tell=()):
    return Transition(action, frozenset(sources), target, label, tell)


TRANSITIONS = {
    t.action: t
    for t in [
        _t("produce", {Status.APPLIED}, Status.IN_PRODUCTION, _("Send to production")),
        _t(
            "check_in",
            {Status.IN_PRODUCTION},
            Status.IN_CUSTODY,
            _("Check in to custody"),
            tell=("unit", "holder"),
        ),
        _t("lend", {Status.IN_CUSTODY}, Status.LENT_OUT, _("Lend out")),
        _t("return", OUT_STATUSES, Status.IN_CUSTODY, _("Return to custody")),
        _t("mark_overdue", {Status.LENT_OUT}, Status.OVERDUE, _("Mark overdue")),
        _t(
            "report_lost",
            {Status.IN_CUSTODY, *OUT_STATUSES},
            Status.LOST,
            _("Report lost"),
            tell=("unit",),
        ),
        _t(
            "cancel",
            {Status.APPLIED, Status.IN_PRODUCTION, Status.IN_CUSTODY, Status.EXPIRED},
            Status.CANCELLED,
            pgettext_lazy("passport", "Cancel"),
            tell=("unit",),
        ),
        _t(
            "expire",
            {Status.IN_CUSTODY},
            Status.EXPIRED,
            _("Mark expired"),
            tell=("unit", "holder"),
        ),
    ]
}
