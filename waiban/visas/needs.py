"""Which visas a trip's members need: from the itinerary, each member's passport kind and the
regime table; from which embassy, and by when (departure − the embassy's lead time).

The embassy's lead time is learnt from the office's own batches (the median of days from
sending the passports to their return, once there are enough of them), else its default.
"""

import datetime as dt
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F

from waiban.passports.states import VALID_STATUSES, Kind
from waiban.people.models import Rank
from waiban.visas.models import Embassy, VisaApplication, VisaBatch
from waiban.visas.regimes import (
    HK_MACAO_TAIWAN,
    current_edition_id,
    embassies_in,
    regime_for,
    regime_rows,
)
from waiban.visas.states import EMBASSY_REGIMES, VISA_REGIMES, BatchState, Regime, Result

PASSPORT_KINDS = (Kind.DIPLOMATIC, Kind.SERVICE, Kind.OFFICIAL_ORDINARY)
# Which passport a person is issued by rank (DESIGN §8; the office's own rule may differ):
# vice-minister and above diplomatic, vice-division and above service, the others official
# ordinary. Used only while the member has no passport on record.
KIND_BY_RANK = {
    Rank.PROVINCIAL_FULL: Kind.DIPLOMATIC,
    Rank.PROVINCIAL_DEPUTY: Kind.DIPLOMATIC,
    Rank.BUREAU_FULL: Kind.SERVICE,
    Rank.BUREAU_DEPUTY: Kind.SERVICE,
    Rank.DIVISION_FULL: Kind.SERVICE,
    Rank.DIVISION_DEPUTY: Kind.SERVICE,
}
MINISTERIAL_RANKS = {Rank.PROVINCIAL_FULL, Rank.PROVINCIAL_DEPUTY}
LEARN_FROM = 3  # batches back before the office's own median replaces the default
HISTORY_ROWS = 30  # per embassy asked about: the newest batches the median is taken from


@dataclass(frozen=True)
class LeadTime:
    days: int
    learnt: bool  # from the office's own history (else the embassy's default)
    samples: int = 0


@dataclass
class VisaNeed:
    member: object  # DelegationMember, with its person
    passport: object  # Passport or None
    kind: str
    kind_assumed: bool  # no passport on record: the kind the member's rank gets
    country: str
    regime: str
    row: object  # VisaRegime or None (no row: visa required)
    stay_days: int
    over_stay: bool = False  # exempt, but the stay is longer than the exemption allows
    embassy: Embassy | None = None
    lead: LeadTime | None = None
    apply_by: dt.date | None = None
    application: VisaApplication | None = None

    @property
    def needs_visa(self) -> bool:
        return self.regime in VISA_REGIMES or self.over_stay

    @property
    def via_embassy(self) -> bool:
        return self.regime in EMBASSY_REGIMES or self.over_stay

    @property
    def to_verify(self) -> bool:
        return bool(self.row and self.row.to_verify)


@dataclass
class TripVisas:
    needs: list[VisaNeed] = field(default_factory=list)
    departure: dt.date | None = None

    @property
    def visa_needs(self) -> list[VisaNeed]:
        return [n for n in self.needs if n.needs_visa]

    @property
    def by_embassy(self) -> dict:
        """Embassy -> the needs that go through it (the batches to make)."""
        grouped = {}
        for need in self.needs:
            if need.via_embassy and need.embassy is not None:
                grouped.setdefault(need.embassy, []).append(need)
        return grouped

    def lead_days_by_country(self) -> dict[str, tuple[int, str]]:
        """Country -> (the longest lead time in days, the embassy's name): for the lead-time rule."""
        found = {}
        for need in self.needs:
            if need.via_embassy and need.lead is not None:
                days = need.lead.days
                if days > found.get(need.country, (-1, ""))[0]:
                    found[need.country] = (days, need.embassy.name if need.embassy else "")
        return found


def _office_names(authority) -> list[str]:
    names, node, depth = [], authority, 0
    while node is not None and depth < 6:
        names.append(node.name)
        node, depth = node.parent, depth + 1
    return names


def _serves(embassy, office_names) -> bool:
    """Whether the office's province is in the embassy's consular district (a list of
    province names; empty: all of China)."""
    parts = [p for p in re.split(r"[、,，;；\s]+", embassy.jurisdiction) if p]
    return any(part in name for part in parts for name in office_names)


def embassy_for(country, embassies, office_names):
    """The consulate whose district holds the office, else the embassy serving all of China."""
    candidates = [e for e in embassies if e.country.code == country and e.is_active]
    for embassy in candidates:
        if embassy.jurisdiction and _serves(embassy, office_names):
            return embassy
    return next((e for e in candidates if not e.jurisdiction), None)


def lead_times(authority_id, embassies) -> dict[int, LeadTime]:
    """Each embassy's lead time for this office: the median of its batches' days out, learnt
    once ``LEARN_FROM`` batches are back, else the default. One query."""
    days = {}
    # The newest batches only: recent lead times say more, and the read stays bounded.
    rows = (
        VisaBatch.objects.filter(
            delegation__authority_id=authority_id,
            embassy__in=embassies,
            state=BatchState.BACK,
            sent_on__isnull=False,
            back_on__isnull=False,
        )
        .order_by("-back_on", "-id")
        .values_list("embassy_id", "sent_on", "back_on")[: HISTORY_ROWS * max(len(embassies), 1)]
    )
    for embassy_id, sent, back in rows:
        days.setdefault(embassy_id, []).append((back - sent).days)
    found = {}
    for embassy in embassies:
        history = days.get(embassy.pk, [])
        if len(history) >= LEARN_FROM:
            found[embassy.pk] = LeadTime(round(statistics.median(history)), True, len(history))
        else:
            found[embassy.pk] = LeadTime(embassy.default_lead_days, False, len(history))
    return found


def member_passports(person_ids) -> dict:
    """Each person's passport for a trip abroad: the longest-valid (one being made first)."""
    from waiban.passports.models import Passport

    held = {}
    rows = (
        Passport.objects.filter(
            person_id__in=person_ids, kind__in=PASSPORT_KINDS, status__in=VALID_STATUSES
        )
        .defer("number")  # not needed here: no decryption
        .order_by(F("expiry_date").desc(nulls_first=True), "-id")
    )
    for passport in rows:
        held.setdefault(passport.person_id, passport)
    return held


def _stays(stops) -> dict[str, int]:
    """Days in each country (arrival and departure days both counted), airside transits out."""
    days = {}
    for stop in stops:
        if stop.is_transit and stop.is_airside:
            continue
        code = stop.country.code
        if code in HK_MACAO_TAIWAN:
            continue
        days[code] = days.get(code, 0) + (stop.departure_date - stop.arrival_date).days + 1
    return days


def trip_visas(delegation, *, edition_id=None) -> TripVisas:
    """Every member's need for every country of the trip, by the current edition of the
    regime table (or ``edition_id``)."""
    return trips_visas([delegation], edition_id=edition_id)[delegation.pk]


def trips_visas(delegations, *, edition_id=None) -> dict[int, TripVisas]:
    """``trip_visas`` of many trips at once, in a fixed number of queries whatever their
    number (a workbench): members, stops, passports, regime rows, applications, and the lead
    times once per office."""
    from waiban.visits.models import DelegationMember, ItineraryStop

    delegations = list(delegations)
    found = {d.pk: TripVisas(departure=d.departure_date) for d in delegations}
    if not delegations or (edition_id or current_edition_id()) is None:
        # No regime table loaded: the office has not set up the visa stage; nothing to say.
        return found
    ids = [d.pk for d in delegations]
    members, stops = defaultdict(list), defaultdict(list)
    for member in (
        DelegationMember.objects.filter(delegation_id__in=ids)
        .select_related("person")
        .defer("person__id_number", "person__phone")  # no decryption: not shown here
        .order_by("delegation_id", "position", "id")
    ):
        members[member.delegation_id].append(member)
    for stop in ItineraryStop.objects.filter(delegation_id__in=ids).order_by("position", "id"):
        stops[stop.delegation_id].append(stop)
    stays = {pk: _stays(stops[pk]) for pk in ids}
    countries = sorted({c for by_country in stays.values() for c in by_country})
    if not countries:
        return found
    held = member_passports([m.person_id for rows in members.values() for m in rows])
    rows = regime_rows(countries, PASSPORT_KINDS, edition_id=edition_id)
    embassies = embassies_in(countries)
    leads = {
        authority_id: lead_times(authority_id, embassies)
        for authority_id in {d.authority_id for d in delegations}
    }
    applications = {}
    for application in (
        VisaApplication.objects.filter(batch__delegation_id__in=ids)
        .exclude(batch__state=BatchState.CANCELLED)
        .select_related("batch__embassy")
        .order_by("id")
    ):
        # The newest application per member and country wins (a refused visa applied again).
        applications[(application.member_id, application.batch.embassy.country.code)] = application
    for delegation in delegations:
        found[delegation.pk].needs = _needs_of(
            delegation,
            members[delegation.pk],
            stays[delegation.pk],
            held=held,
            rows=rows,
            embassies=embassies,
            leads=leads[delegation.authority_id],
            applications=applications,
        )
    return found


def _needs_of(delegation, members, stays, *, held, rows, embassies, leads, applications):
    departure = delegation.departure_date
    leader = next((m for m in members if m.role == "leader"), None)
    ministerial = leader is not None and (
        (leader.rank_at_submission or leader.person.rank) in MINISTERIAL_RANKS
    )
    office_names = _office_names(delegation.authority) if stays else []
    needs = []
    for member in members:
        passport = held.get(member.person_id)
        kind = (
            passport.kind
            if passport
            else KIND_BY_RANK.get(
                member.rank_at_submission or member.person.rank, Kind.OFFICIAL_ORDINARY
            )
        )
        for country, stay in stays.items():
            looked = regime_for(
                rows, country=country, kind=kind, on=departure, ministerial=ministerial
            )
            over = (
                looked.regime == Regime.EXEMPT
                and looked.max_stay_days is not None
                and stay > looked.max_stay_days
            )
            need = VisaNeed(
                member=member,
                passport=passport,
                kind=kind,
                kind_assumed=passport is None,
                country=country,
                regime=looked.regime,
                row=looked.row,
                stay_days=stay,
                over_stay=over,
                application=applications.get((member.pk, country)),
            )
            if need.via_embassy:
                need.embassy = embassy_for(country, embassies, office_names)
                if need.embassy is not None:
                    need.lead = leads[need.embassy.pk]
                    if departure:
                        need.apply_by = departure - dt.timedelta(days=need.lead.days)
            needs.append(need)
    return needs


def need_status(need) -> str:
    """Where one visa stands: not needed, to apply, in a batch, at the embassy, or its result."""
    if not need.needs_visa:
        return "not_needed"
    application = need.application
    if application is None:
        return "to_apply"
    if application.result != Result.PENDING:
        return application.result
    return "at_embassy" if application.batch.state == BatchState.SENT else "in_batch"


def _unit_office_names(unit_id) -> list[str]:
    from waiban.accounts.models import Unit

    row = (
        Unit.objects.filter(pk=unit_id)
        .values_list(
            "authority__name", "authority__parent__name", "authority__parent__parent__name"
        )
        .first()
    )
    return [name for name in row or () if name]


def embassy_leads(*, unit_id, members, stays, departure, held=None) -> dict[str, tuple[int, str]]:
    """For the lead-time rule: each country where a member needs an embassy visa -> (the
    embassy's lead time in days, its name). ``members``: (person_id, rank, role) of the trip,
    saved or as typed; ``stays``: days per country; ``held``: person_id -> passport kind when
    the caller has read the passports. Nothing is read when no embassy serves the countries."""
    stays = {c: d for c, d in stays.items() if c not in HK_MACAO_TAIWAN}
    embassies = embassies_in(stays)
    if not members or not stays or not embassies or unit_id is None:
        return {}
    if held is None:
        held = {pid: p.kind for pid, p in member_passports([m[0] for m in members]).items()}
    ministerial = any(role == "leader" and rank in MINISTERIAL_RANKS for _p, rank, role in members)
    rows = regime_rows(stays, PASSPORT_KINDS)
    office_names = _unit_office_names(unit_id)
    leads = None
    found = {}
    for person_id, rank, _role in members:
        kind = held.get(person_id) or KIND_BY_RANK.get(rank, Kind.OFFICIAL_ORDINARY)
        for country, stay in stays.items():
            looked = regime_for(
                rows, country=country, kind=kind, on=departure, ministerial=ministerial
            )
            over = looked.regime == Regime.EXEMPT and (looked.max_stay_days or stay) < stay
            if looked.regime not in EMBASSY_REGIMES and not over:
                continue
            embassy = embassy_for(country, embassies, office_names)
            if embassy is None:
                continue
            if leads is None:
                from waiban.accounts.models import Unit

                authority_id = Unit.objects.values_list("authority_id", flat=True).get(pk=unit_id)
                leads = lead_times(authority_id, embassies)
            days = leads[embassy.pk].days
            if days > found.get(country, (-1, ""))[0]:
                found[country] = (days, embassy.name)
    return found
