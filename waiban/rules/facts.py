"""What the rules look at: a plain snapshot of a delegation, saved or still being typed.

Rules are pure functions of these facts and their parameters; building the facts is the only
place that touches the database (a fixed number of queries, whatever the history size).
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from waiban.plans.status import Totals, plan_status_of, trip_destinations
from waiban.visits.states import TRIP_STATES


@dataclass(frozen=True)
class Member:
    person_id: int
    name: str
    rank: str = ""
    post: str = ""
    is_teaching_research: bool = False
    role: str = "member"
    # The unit whose leadership team (领导班子) the member sits on, and its name; None: not on it.
    leadership_unit_id: int | None = None
    leadership_unit: str = ""


@dataclass(frozen=True)
class Stop:
    country: str
    city: str
    arrival: dt.date
    departure: dt.date
    is_transit: bool = False
    is_airside: bool = False
    business_days: int | None = None

    @property
    def counts_as_country(self) -> bool:
        # A transit stop counts as a country unless the travellers stay airside.
        return not (self.is_transit and self.is_airside)


@dataclass(frozen=True)
class PastTrip:
    person_id: int
    delegation_id: int
    case_number: str
    title: str
    departure: dt.date
    return_date: dt.date
    rank: str  # the member's rank when that trip was submitted


@dataclass(frozen=True)
class Facts:
    members: tuple[Member, ...] = ()
    stops: tuple[Stop, ...] = ()
    budget_total: Decimal = Decimal(0)
    funding_source: str = "fiscal"
    inviting_organisation: str = ""
    inviting_kind: str = ""
    as_of: dt.date | None = None  # the day of submission (or today, while typing)
    delegation_id: int | None = None
    history: tuple[PastTrip, ...] = ()
    calendar: Any = field(default=None, compare=False)
    # Where the trip stands against its unit's annual plan (waiban.plans.status); None: not read.
    plan_status: Any = field(default=None, compare=False)
    # Control-list matches of the members: (person_id, severity, still needs review). Only the
    # severity reaches the clerk; which list and which entry stay with the office.
    watchlist: tuple[tuple[int, str, bool], ...] = ()
    # The unit's passports still out and the members' passports (waiban.passports.facts); None:
    # not read.
    passports: Any = field(default=None, compare=False)
    # Countries where a member needs a visa from an embassy -> (its lead time in days, its
    # name) (waiban.visas.needs.embassy_leads); None: not read.
    visa_leads: Any = field(default=None, compare=False)
    # The control-list matches behind ``watchlist`` (waiban.watchlists.screening.ScreeningMatch,
    # with the entry and the list): not for the rules, for the submission to store as hits
    # without screening the members a second time.
    screening: tuple = field(default=(), compare=False)

    @property
    def departure(self) -> dt.date | None:
        return min((s.arrival for s in self.stops), default=None)

    @property
    def return_date(self) -> dt.date | None:
        return max((s.departure for s in self.stops), default=None)

    @property
    def stay_days(self) -> int:
        return stay_days(self.stops)

    @property
    def countries(self) -> list[str]:
        return counted_countries(self.stops)


def stay_days(stops) -> int:
    """Days abroad, departure and return day both included; 0 without an itinerary."""
    if not stops:
        return 0
    first = min(s.arrival for s in stops)
    last = max(s.departure for s in stops)
    return (last - first).days + 1


def trip_stops(stops) -> tuple[Stop, ...]:
    """The stops the rules judge: a stop that ends before it starts is left out (the form says
    what is wrong beside its dates) rather than counted as a negative stay."""
    return tuple(s for s in stops if s.departure >= s.arrival)


def counted_countries(stops) -> list[str]:
    """Distinct countries in itinerary order, airside-only transits left out."""
    return list(dict.fromkeys(s.country for s in stops if s.counts_as_country))


def shift_years(day: dt.date, years: int) -> dt.date:
    # Kept within the calendar: a history window from a (mistyped) year 1 starts in year 1.
    year = min(max(day.year + years, dt.MINYEAR), dt.MAXYEAR)
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def member_from_person(person, role="member", rank=None) -> Member:
    """The member's facts. Only a leadership-team member's unit is read (its name, for the
    message): the callers load it with the person."""
    leader = person.in_leadership_team
    return Member(
        person_id=person.pk,
        name=person.name_zh,
        rank=rank or person.rank,
        post=person.post,
        is_teaching_research=person.is_teaching_research,
        role=role,
        leadership_unit_id=person.unit_id if leader else None,
        leadership_unit=person.unit.name if leader else "",
    )


def load_history(members, *, since: dt.date | None, exclude_delegation_id=None):
    """Approved trips of these members (``Member`` facts) returning on or after ``since``: one
    query for all. A trip submitted before ranks were snapshotted counts with the member's
    current rank, which the facts already hold."""
    from waiban.visits.models import DelegationMember

    if not members or since is None:
        return ()
    rank_now = {m.person_id: m.rank for m in members}
    rows = (
        DelegationMember.objects.filter(
            person_id__in=rank_now,
            delegation__state__in=TRIP_STATES,
            delegation__return_date__gte=since,
        )
        .exclude(delegation_id=exclude_delegation_id)
        .values_list(
            "person_id",
            "delegation_id",
            "delegation__case_number",
            "delegation__title",
            "delegation__departure_date",
            "delegation__return_date",
            "rank_at_submission",
        )
        .order_by("delegation__return_date")
    )
    return tuple(
        PastTrip(pid, did, case or "", title, dep, ret, rank_then or rank_now[pid])
        for pid, did, case, title, dep, ret, rank_then in rows
    )


def prefetch_content(delegation) -> None:
    """Read a saved delegation's members (with their person), stops and budget lines into the
    instance, unless they are there already. Whoever reads them next from the instance (the
    completeness check, the facts, the members' snapshot at submission) reads them from memory:
    submitting reads each once. The members' ID and phone numbers stay encrypted in the
    database (reading one from these rows costs a query): no rule reads them, the control
    lists match the ID number's keyed hash."""
    from django.db.models import Prefetch, prefetch_related_objects

    from waiban.visits.models import DelegationMember

    members = DelegationMember.objects.select_related("person__unit").defer(
        "person__id_number", "person__phone"
    )
    # Relations already prefetched are left as they are (prefetch_related_objects skips them).
    prefetch_related_objects(
        [delegation], Prefetch("members", queryset=members), "stops", "budget_lines"
    )
    # Members prefetched elsewhere without their person: one query (none if they have it).
    prefetch_related_objects([delegation], "members__person__unit")


def facts_from_delegation(
    delegation, *, as_of, history_years, calendar=None, history_ranks=None
) -> Facts:
    """The facts of a saved delegation (members, stops, budget, the members' approved trips).

    ``history_ranks``: only members of these ranks need their past trips (engine.history_ranks;
    None: every member). Members, stops and budget lines come from ``prefetch_content``."""
    prefetch_content(delegation)
    rows = delegation.members.all()
    members = tuple(member_from_person(m.person, m.role) for m in rows)
    stops = trip_stops(
        Stop(
            country=s.country.code,
            city=s.city,
            arrival=s.arrival_date,
            departure=s.departure_date,
            is_transit=s.is_transit,
            is_airside=s.is_airside,
            business_days=s.business_days,
        )
        for s in delegation.stops.all()
    )
    total = sum((b.amount for b in delegation.budget_lines.all()), Decimal(0))
    facts = Facts(
        members=members,
        stops=stops,
        budget_total=total,
        funding_source=delegation.funding_source,
        inviting_organisation=delegation.inviting_organisation,
        inviting_kind=delegation.inviting_organisation_kind,
        as_of=as_of,
        delegation_id=delegation.pk,
        calendar=calendar,
    )
    return with_history(
        with_unit_facts(facts, unit_id=delegation.unit_id),
        history_years,
        ranks=history_ranks,
        people=[m.person for m in rows],
    )


def with_history(facts: Facts, history_years: int, *, ranks=None, people=None) -> Facts:
    """Add the members' past trips and control-list matches. ``ranks``: whose trips to read
    (None: everyone's); ``people``: the members' Person rows when the caller has them."""
    departure = facts.departure
    since = shift_years(departure, -history_years) if departure else None
    travellers = [m for m in facts.members if ranks is None or m.rank in ranks]
    history = load_history(travellers, since=since, exclude_delegation_id=facts.delegation_id)
    watchlist, screening = load_watchlist(
        [m.person_id for m in facts.members], facts.delegation_id, people=people
    )
    return replace(facts, history=history, watchlist=watchlist, screening=screening)


def load_watchlist(person_ids, delegation_id, *, people=None):
    """The members' control-list matches, and whether a reviewer has already cleared each one
    for this case (a few queries, whatever the size of the lists). Returns the facts' tuples
    and the matches themselves. ``people``: the members' Person rows, if already read."""
    from waiban.people.models import Person
    from waiban.watchlists.models import ScreeningHit
    from waiban.watchlists.screening import screen_people

    if not person_ids:
        return (), ()
    if people is None:
        people = Person.objects.filter(pk__in=person_ids)
    matches = tuple(screen_people(people=people))
    if not matches:
        return (), ()
    decided = {}
    if delegation_id:
        decided = {
            (person_id, entry_id): status
            for person_id, entry_id, status in ScreeningHit.objects.filter(
                delegation_id=delegation_id
            ).values_list("person_id", "entry_id", "status")
        }
    watchlist = tuple(
        (m.person_id, m.severity, decided.get((m.person_id, m.entry_id)) != "cleared")
        for m in matches
    )
    return watchlist, matches


def with_unit_facts(facts: Facts, *, unit_id) -> Facts:
    """Add what the unit's other records say about the trip: the annual plan and the passports.
    Read alike for a saved delegation and for the form as typed (the trip's people and budget
    are those of the facts), so the live panel shows what the submission will find."""
    plan = plan_status_of(
        unit_id=unit_id,
        departure=facts.departure,
        delegation_id=facts.delegation_id,
        this_trip=Totals(1, len(facts.members), facts.budget_total),
        destinations=trip_destinations(facts.stops),
    )
    passports = load_passports(unit_id, [m.person_id for m in facts.members], facts.as_of)
    facts = replace(facts, plan_status=plan, passports=passports)
    return replace(facts, visa_leads=load_visa_leads(facts, unit_id))


def load_visa_leads(facts: Facts, unit_id) -> dict:
    """Where the members need an embassy's visa, and how long that embassy takes (nothing is
    read when no embassy on record serves the trip's countries)."""
    from waiban.passports.states import VALID_STATUSES
    from waiban.visas.needs import PASSPORT_KINDS, embassy_leads

    if not facts.members or not facts.stops or unit_id is None:
        return {}
    stays = {}
    for stop in facts.stops:
        if stop.counts_as_country:
            days = (stop.departure - stop.arrival).days + 1
            stays[stop.country] = stays.get(stop.country, 0) + days
    held = None
    if facts.passports is not None:  # the members' passports, already read
        held = {
            h.person_id: h.kind
            for h in facts.passports.held
            if h.kind in PASSPORT_KINDS and h.status in VALID_STATUSES
        }
    return embassy_leads(
        unit_id=unit_id,
        members=[(m.person_id, m.rank, m.role) for m in facts.members],
        stays=stays,
        departure=facts.departure,
        held=held,
    )


def load_passports(unit_id, person_ids, as_of):
    from waiban.passports.facts import passport_facts

    since = (as_of or dt.date.today()) - dt.timedelta(days=366)
    return passport_facts(unit_id=unit_id, person_ids=person_ids, lost_since=since)
