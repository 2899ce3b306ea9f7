"""What the passport rules look at, read in a fixed number of queries (see waiban.rules.facts)."""

import datetime as dt
from dataclasses import dataclass

from waiban.passports.states import OUT_STATUSES, VALID_STATUSES, Kind, Status

HK_MACAO = {"HK", "MO"}
PASSPORT_KINDS = (Kind.DIPLOMATIC, Kind.SERVICE, Kind.OFFICIAL_ORDINARY)


def kinds_needed(countries) -> tuple[str, ...]:
    """A trip only to Hong Kong/Macao needs the permit; anywhere else a passport."""
    countries = set(countries)
    if countries and countries <= HK_MACAO:
        return (Kind.HK_MACAO_PERMIT,)
    return PASSPORT_KINDS


@dataclass(frozen=True)
class OpenLoan:
    passport_id: int
    holder: str
    case_number: str
    trip_return: dt.date | None
    due_date: dt.date


@dataclass(frozen=True)
class Held:
    person_id: int
    name: str
    kind: str
    status: str
    expiry_date: dt.date | None
    lost_on: dt.date | None = None


@dataclass(frozen=True)
class PassportFacts:
    open_loans: tuple[OpenLoan, ...] = ()  # the unit's passports still out
    held: tuple[Held, ...] = ()  # the members' valid passports, and recent losses


def passport_facts(*, unit_id, person_ids, lost_since: dt.date) -> PassportFacts:
    from waiban.passports.models import Loan, Passport

    loans = Loan.objects.filter(
        delegation__unit_id=unit_id,
        returned_at=None,
        passport__status__in=sorted(OUT_STATUSES),
    ).values(
        "passport_id",
        "passport__person__name_zh",
        "delegation__case_number",
        "delegation__return_date",
        "due_date",
    )
    held = Passport.objects.filter(
        person_id__in=person_ids, status__in=sorted(VALID_STATUSES | {Status.LOST})
    ).values("person_id", "person__name_zh", "kind", "status", "expiry_date", "lost_on")
    return PassportFacts(
        open_loans=tuple(
            OpenLoan(
                row["passport_id"],
                row["passport__person__name_zh"],
                row["delegation__case_number"] or "",
                row["delegation__return_date"],
                row["due_date"],
            )
            for row in loans
        ),
        held=tuple(
            Held(*row.values())
            for row in held
            if row["status"] != Status.LOST or (row["lost_on"] and row["lost_on"] >= lost_since)
        ),
    )
