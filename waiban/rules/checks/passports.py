"""Passports: back in custody in time, valid long enough, one of each kind (DESIGN.md §4)."""

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext_lazy

from waiban.rules.engine import Hit, rule
from waiban.rules.models import Severity

MFA_2018 = "外交部领事司2018年因公护照管理通知"


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


@rule(
    "passport-return",
    title=gettext_lazy("Passport returned to custody"),
    severity=Severity.BLOCK,
    source="外交部领事司2018年通知; 北京市外办2020年规定",
    params={"return_days": 7, "block_after_days": 30, "loss_block_days": 15},
    messages={
        "overdue_block": gettext_lazy(
            "The passport of %(holder)s (trip %(case)s) was due back on %(due)s and is %(days)d days overdue: the unit cannot submit new applications until it is returned (%(source)s)."
        ),
        "overdue": gettext_lazy(
            "The passport of %(holder)s (trip %(case)s) was due back on %(due)s and is %(days)d days overdue (%(source)s)."
        ),
        "lost_block": gettext_lazy(
            "%(name)s reported a passport lost on %(lost)s and cannot travel before %(until)s (%(source)s)."
        ),
    },
)
def passport_return(facts, params):
    info = getattr(facts, "passports", None)
    today = facts.as_of
    if info is None or today is None:
        return
    for loan in info.open_loans:
        # The due date follows the trip's current return date, even if it changed since lending.
        due = loan.due_date
        if loan.trip_return:
            due = loan.trip_return + dt.timedelta(days=params["return_days"])
        days = (today - due).days
        if days <= 0:
            continue
        figures = {"holder": loan.holder, "case": loan.case_number, "due": due.isoformat()}
        figures["days"] = days
        blocked = days > params["block_after_days"]
        yield Hit(
            "overdue_block" if blocked else "overdue",
            figures,
            {"passport": loan.passport_id, "due": due.isoformat(), "days": days},
            subject=f"loan{loan.passport_id}",
            severity=None if blocked else Severity.INFO,
        )
    members = {m.person_id for m in facts.members}
    for held in info.held:
        if held.lost_on is None or held.person_id not in members:
            continue
        until = held.lost_on + dt.timedelta(days=params["loss_block_days"])
        if today < until:
            yield Hit(
                "lost_block",
                {"name": held.name, "lost": held.lost_on.isoformat(), "until": until.isoformat()},
                {"person": held.person_id},
                subject=f"lost{held.person_id}",
            )


@rule(
    "passport-validity",
    title=gettext_lazy("Passport validity"),
    severity=Severity.WARN,
    source=MFA_2018,
    params={"months_beyond_return": 6},
    messages={
        "renew": gettext_lazy(
            "The passport of %(name)s expires on %(expiry)s, less than %(months)d months after the return date %(return)s: it must be renewed (%(source)s)."
        ),
        "expires_before_return": gettext_lazy(
            "The passport of %(name)s expires on %(expiry)s, before the return date %(return)s: %(name)s cannot travel on it. Renew the passport, or change the members or the dates, before submitting (%(source)s)."
        ),
    },
)
def passport_validity(facts, params):
    from waiban.passports.facts import kinds_needed
    from waiban.passports.states import VALID_STATUSES

    info = getattr(facts, "passports", None)
    if info is None or facts.return_date is None:
        return
    needed = kinds_needed(facts.countries)
    limit = _add_months(facts.return_date, params["months_beyond_return"])
    for held in info.held:
        if held.kind not in needed or held.status not in VALID_STATUSES:
            continue
        if held.expiry_date and held.expiry_date < limit:
            # Expired before the trip is over: no justification makes it usable (a block,
            # whatever the version's severity). Valid on return, but not long enough: the
            # version's severity (a warning by default: renew, or justify).
            expired = held.expiry_date < facts.return_date
            yield Hit(
                "expires_before_return" if expired else "renew",
                {
                    "name": held.name,
                    "expiry": held.expiry_date.isoformat(),
                    "months": params["months_beyond_return"],
                    "return": facts.return_date.isoformat(),
                },
                {"person": held.person_id, "kind": held.kind},
                subject=f"{held.person_id}:{held.kind}",
                severity=Severity.BLOCK if expired else None,
            )


@rule(
    "one-passport",
    title=gettext_lazy("One passport of each kind"),
    severity=Severity.WARN,
    source="因公护照管理惯例",
    params={},
    messages={
        "one_passport": gettext_lazy(
            "%(name)s is recorded with %(count)d valid passports of the same kind; one must be cancelled (%(source)s)."
        )
    },
)
def one_passport(facts, params):
    from waiban.passports.states import VALID_STATUSES

    info = getattr(facts, "passports", None)
    if info is None:
        return
    counts = defaultdict(list)
    for held in info.held:
        if held.status in VALID_STATUSES:
            counts[(held.person_id, held.kind)].append(held)
    for (person_id, kind), rows in counts.items():
        if len(rows) > 1:
            yield Hit(
                "one_passport",
                {"name": rows[0].name, "count": len(rows)},
                {"person": person_id, "kind": kind},
                subject=f"{person_id}:{kind}",
            )
