"""Reads for the custody view: where every passport is, who has it, how late, what expires."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from waiban.accounts.scoping import visible_authority_ids
from waiban.passports.models import Loan, Passport
from waiban.passports.states import OUT_STATUSES, Status
from waiban.rules.checks.passports import _add_months

RED_AFTER_DAYS = 30


@dataclass(frozen=True)
class CustodyRow:
    passport: Passport
    loan: Loan | None
    overdue_days: int
    expiring: bool

    @property
    def colour(self) -> str:
        if self.overdue_days > RED_AFTER_DAYS:
            return "danger"
        if self.overdue_days > 0 or self.expiring:
            return "warning"
        return ""


def custody_rows(*, actor, where="", today=None) -> list[CustodyRow]:
    today = today or timezone.localdate()
    soon = _add_months(today, 6)
    passports = (
        Passport.objects.filter(authority_id__in=visible_authority_ids(actor))
        .filter(Q(status__in={Status.IN_CUSTODY, *OUT_STATUSES}) | Q(status=Status.IN_PRODUCTION))
        .select_related("person", "person__unit")
        .prefetch_related(
            Prefetch(
                "loans",
                queryset=Loan.objects.filter(returned_at=None).select_related("delegation"),
                to_attr="open_loans",
            )
        )
        .order_by("person__name_zh", "id")
    )
    if where == "in":
        passports = passports.filter(status=Status.IN_CUSTODY)
    elif where == "out":
        passports = passports.filter(status__in=OUT_STATUSES)
    elif where == "expiring":
        passports = passports.filter(expiry_date__lt=soon)
    rows = []
    for p in passports:
        loan = p.open_loans[0] if p.open_loans else None
        overdue = (today - loan.due_date).days if loan else 0
        rows.append(
            CustodyRow(p, loan, max(overdue, 0), bool(p.expiry_date and p.expiry_date < soon))
        )
    return rows


def overdue_since(loan, today: dt.date) -> int:
    return max((today - loan.due_date).days, 0)
