"""The trip as travelled against the trip as approved: what differs, counted the way the
``stay-days`` rule counts (departure and return day included, airside transits not a country)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from waiban.rules.checks.trip import stay_limit
from waiban.rules.engine import country_names, versions_in_force
from waiban.rules.facts import Stop, counted_countries, stay_days, trip_stops


@dataclass(frozen=True)
class Deviation:
    code: str  # extra-country, more-days, stop-not-made, earlier-departure, over-limit
    message: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Comparison:
    approved_days: int
    actual_days: int
    actual_limit: int
    deviations: tuple[Deviation, ...]


def as_stops(rows) -> tuple[Stop, ...]:
    """Rules' stops from ItineraryStop or ActualStop rows (or anything with their fields)."""
    return trip_stops(
        Stop(
            country=str(getattr(r.country, "code", r.country)),
            city=r.city,
            arrival=r.arrival_date,
            departure=r.departure_date,
            is_transit=r.is_transit,
            is_airside=r.is_airside,
        )
        for r in rows
    )


def _place(stop) -> tuple[str, str]:
    return stop.country, stop.city.strip().casefold()


def compare(approved: tuple[Stop, ...], actual: tuple[Stop, ...], *, stay_params) -> Comparison:
    """What the actual itinerary does that the approved one did not; nothing without one."""
    approved_days, actual_days = stay_days(approved), stay_days(actual)
    actual_countries = counted_countries(actual)
    limit = (
        stay_limit(len(actual_countries), stay_params, actual_countries)[0]
        if actual_countries
        else 0
    )
    if not actual:
        return Comparison(approved_days, 0, limit, ())
    found = []
    extra = [c for c in actual_countries if c not in counted_countries(approved)]
    if extra:
        found.append(
            Deviation(
                "extra-country",
                _("Countries not approved: %(countries)s.")
                % {"countries": country_names(",".join(extra))},
                {"countries": extra},
            )
        )
    if actual_days > approved_days:
        found.append(
            Deviation(
                "more-days",
                _("%(actual)d days abroad, %(more)d more than the %(approved)d approved.")
                % {
                    "actual": actual_days,
                    "approved": approved_days,
                    "more": actual_days - approved_days,
                },
                {"actual": actual_days, "approved": approved_days},
            )
        )
    if actual_countries and actual_days > limit:
        found.append(
            Deviation(
                "over-limit",
                _("%(actual)d days abroad, more than the %(limit)d days the rule allows.")
                % {"actual": actual_days, "limit": limit},
                {"actual": actual_days, "limit": limit},
            )
        )
    travelled = {_place(s) for s in actual}
    for stop in approved:
        if _place(stop) not in travelled:
            found.append(
                Deviation(
                    "stop-not-made",
                    _("Approved stop not made: %(city)s (%(country)s).")
                    % {"city": stop.city, "country": country_names(stop.country)},
                    {"country": stop.country, "city": stop.city},
                )
            )
    first_approved = min((s.arrival for s in approved), default=None)
    first_actual = min(s.arrival for s in actual)
    if first_approved and first_actual < first_approved:
        found.append(
            Deviation(
                "earlier-departure",
                _("Left on %(actual)s, before the approved %(approved)s.")
                % {"actual": first_actual.isoformat(), "approved": first_approved.isoformat()},
                {"actual": first_actual.isoformat(), "approved": first_approved.isoformat()},
            )
        )
    return Comparison(approved_days, actual_days, limit, tuple(found))


def case_comparison(delegation, *, actual=None) -> Comparison:
    """The comparison of a saved case, judged by the stay-days version in force on its return
    (``actual``: its actual stops, when the caller has read them already)."""
    on = delegation.return_date or delegation.departure_date
    params = None
    if on is not None:
        params = versions_in_force(authority_id=delegation.authority_id, on=on)["stay-days"].params
    if params is None:
        from waiban.rules.engine import REGISTRY

        params = REGISTRY["stay-days"].params
    return compare(
        as_stops(delegation.stops.all()),
        as_stops(delegation.actual_stops.all() if actual is None else actual),
        stay_params=params,
    )
