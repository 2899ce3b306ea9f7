"""The demo's passport registry (集中保管): official passports taken into custody by the demo
passport officer through ``passport_register``, then lent for trips and returned through
``passport_lend`` / ``passport_return`` -- never a status written by hand.

The kind follows the holder's rank (DESIGN.md §8: vice-minister and above diplomatic,
vice-division and above service, others official ordinary) and the number its kind (§7: D/DE,
S/SE, P/PE followed by digits, 9 characters in all). Official passports are valid five years; a
few in the registry expire within six months, so the renewal path has something to show, and
one before the trip of a draft, which the passport-validity rule blocks.
"""

import datetime as dt
import random

from django.utils import timezone

from waiban.core.calendar import WorkingCalendar
from waiban.demo.clock import clock_at, office_time, working_days_before
from waiban.passports.loans import passport_lend, passport_return
from waiban.passports.services import passport_register
from waiban.passports.states import NUMBER_PREFIXES, Kind
from waiban.people.models import Rank
from waiban.rules.checks.passports import _add_months

VALID_YEARS = 5
# Working days before today when the office took the units' passports into its cabinet: before
# the first showcase case, so every trip finds its passports there.
REGISTERED_WORKING_DAYS_AGO = (140, 150)
ISSUERS = {
    Kind.DIPLOMATIC: "中华人民共和国外交部",
    Kind.SERVICE: "广西壮族自治区外事办公室",
    Kind.OFFICIAL_ORDINARY: "广西壮族自治区外事办公室",
}
# Who has a passport in custody before the stories begin: most of the demo unit, a share of
# everyone else (the rest need a production request once a trip of theirs is approved).
SHARE_DEMO_UNIT = 0.85
SHARE_OTHER_UNITS = 0.4
SHARE_EXPIRING = 0.07  # of those registered: expiring within six months (renewal)
# When those expire, in days from today: within six months of the return of every showcase
# trip still ahead, so each has a passport-validity warning to justify, but after the return of
# the latest one (about 100 days ahead), so none is blocked: no submitted case would be now.
EXPIRING_DAYS = (110, 170)


def kind_for(rank: str) -> str:
    if rank in (Rank.PROVINCIAL_FULL, Rank.PROVINCIAL_DEPUTY):
        return Kind.DIPLOMATIC
    if rank in (Rank.BUREAU_FULL, Rank.BUREAU_DEPUTY, Rank.DIVISION_FULL, Rank.DIVISION_DEPUTY):
        return Kind.SERVICE
    return Kind.OFFICIAL_ORDINARY


def working_days_after(calendar: WorkingCalendar, day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    return day


class Custody:
    """The passport officer's cabinet during the seeding: who holds which passport, and when
    each person's passport is out (simulated dates), so no passport is lent twice at once."""

    def __init__(self, officer, rng: random.Random, calendar: WorkingCalendar):
        self.officer = officer
        self.rng = rng
        self.calendar = calendar
        self.today = timezone.localdate()
        self.numbers: set[str] = set()
        self.passports: dict[int, object] = {}  # person pk -> Passport
        self.busy: dict[int, list[tuple[dt.date, dt.date | None]]] = {}  # None: still out
        self.never: set[int] = set()  # people kept without a passport (production requests)

    def register_share(self, people: dict, demo_unit: str) -> None:
        """The office's cabinet before the first story: most of the demo unit, some of the rest."""
        for key, persons in people.items():
            share = SHARE_DEMO_UNIT if key == demo_unit else SHARE_OTHER_UNITS
            for person in persons:
                if person.pk not in self.never and self.rng.random() < share:
                    self.register(person, expiring=self.rng.random() < SHARE_EXPIRING)

    def _number(self, kind: str) -> str:
        long_prefix, short_prefix = NUMBER_PREFIXES[kind]
        # mostly the E series (PE/SE/DE + 7 digits); a few of the one-letter series
        prefix = long_prefix if self.rng.random() < 0.85 else short_prefix
        while True:
            digits = "".join(str(self.rng.randrange(10)) for _ in range(9 - len(prefix)))
            number = prefix + digits
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def register(self, person, *, expiring: bool = False, expiry: dt.date | None = None):
        """The person's passport, taken into custody on the registry's day if not there yet
        (``expiry``: on that day, else a random one, within six months if ``expiring``)."""
        if person.pk in self.passports:
            return self.passports[person.pk]
        rng = self.rng
        day = working_days_before(
            self.calendar, self.today, rng.randint(*REGISTERED_WORKING_DAYS_AGO)
        )
        if expiring or expiry is not None:
            expiry = expiry or self.today + dt.timedelta(days=rng.randint(*EXPIRING_DAYS))
            issued = _add_months(expiry, -12 * VALID_YEARS) + dt.timedelta(days=1)
        else:  # issued in the five years before the registry's day, at least a year left
            issued = day - dt.timedelta(days=rng.randint(20, 365 * VALID_YEARS - 600))
            expiry = _add_months(issued, 12 * VALID_YEARS) - dt.timedelta(days=1)
        kind = kind_for(person.rank)
        with clock_at(office_time(day, rng)):
            passport = passport_register(
                actor=self.officer,
                person=person,
                kind=kind,
                number=self._number(kind),
                expiry_date=expiry,
                issue_date=issued,
                issuing_authority=ISSUERS[kind],
            )
        self.passports[person.pk] = passport
        return passport

    def available(self, person, start: dt.date, end: dt.date | None) -> bool:
        """Can the person's passport be lent from ``start`` to ``end`` (None: not returned)?"""
        if person.pk in self.never:
            return False
        for lent, back in self.busy.get(person.pk, []):
            if back is None or end is None and back >= start:
                return False
            if end is not None and lent <= end and start <= back:
                return False
        return True

    def lend(self, delegation, *, day: dt.date, taken_by: str) -> list:
        """Every member's passport handed to the unit before the trip (registered first if the
        member had none in the cabinet yet)."""
        lent = []
        moment = office_time(day, self.rng)
        for member in delegation.members.select_related("person").order_by("position", "id"):
            passport = self.register(member.person)
            with clock_at(moment):
                passport_lend(
                    passport=passport,
                    actor=self.officer,
                    delegation=delegation,
                    taken_by=taken_by,
                    today=day,
                )
            self.busy.setdefault(member.person_id, []).append((day, None))
            lent.append(passport)
            moment += dt.timedelta(minutes=self.rng.randint(1, 4))
        return lent

    def take_back(self, passports: list, *, day: dt.date) -> dt.datetime:
        """The unit brings the trip's passports back together; returns the last moment."""
        moment = office_time(day, self.rng)
        for passport in passports:
            with clock_at(moment):
                passport_return(passport=passport, actor=self.officer, today=day)
            periods = self.busy[passport.person_id]
            periods[-1] = (periods[-1][0], day)
            moment += dt.timedelta(minutes=self.rng.randint(1, 3))
        return moment
