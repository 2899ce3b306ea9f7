"""Reads of the passports app: the custody view (where every passport is, who has it, how late,
what expires) and the look-up of a passport by its scanned MRZ."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.accounts.scoping import visible_authority_ids
from waiban.core.crypto import blind_index
from waiban.core.errors import ServiceError
from waiban.passports.models import Loan, Passport
from waiban.passports.mrz import mrz_parse
from waiban.passports.services import check_officer_role
from waiban.passports.states import OUT_STATUSES, Status
from waiban.rules.checks.passports import _add_months

RED_AFTER_DAYS = 30


@dataclass(frozen=True)
class CustodyRow:
    passport: Passport
    loan: Loan | None
    overdue_days: int
    expiring: bool
    # Past its expiry date while lent out: the daily expiry leaves it alone (it is not in the
    # cabinet); it is marked expired the moment it comes back.
    expired_while_out: bool = False

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
            CustodyRow(
                p,
                loan,
                max(overdue, 0),
                bool(p.expiry_date and p.expiry_date < soon),
                expired_while_out=bool(
                    p.status in OUT_STATUSES and p.expiry_date and p.expiry_date < today
                ),
            )
        )
    return rows


def overdue_since(loan, today: dt.date) -> int:
    return max((today - loan.due_date).days, 0)


def passport_find_by_mrz(*, actor, mrz) -> Passport:
    """The passport whose number the MRZ carries, found through the blind index, in scope."""
    check_officer_role(actor)
    parsed = mrz_parse(mrz)
    passport = (
        Passport.objects.filter(number_hash=blind_index(parsed.number))
        .select_related("person")
        .first()
    )
    if passport is None or (
        actor is not None and passport.authority_id not in visible_authority_ids(actor)
    ):
        raise ServiceError(
            "mrz_unknown_passport",
            _("No passport in this office's registry carries the number in this MRZ."),
            field="mrz",
        )
    return passport
