"""The shape of the trip: how many people, how many countries, how many days, how much business."""

from django.utils.translation import gettext_lazy

from waiban.rules.engine import Hit, rule
from waiban.rules.models import Severity
from waiban.rules.regions import in_regions

CENTRAL_2013 = "中办发〔2013〕16号"


@rule(
    "group-size",
    title=gettext_lazy("Group size"),
    severity=Severity.BLOCK,
    source=CENTRAL_2013,
    params={"max_people": 6},
    messages={
        "group-size": gettext_lazy(
            "%(count)d people in the delegation, more than the %(max)d allowed including the interpreter (%(source)s)."
        )
    },
)
def group_size(facts, params):
    count = len(facts.members)
    if count > params["max_people"]:
        yield Hit(
            "group-size",
            {"count": count, "max": params["max_people"]},
            {"members": [m.name for m in facts.members]},
        )


@rule(
    "country-count",
    title=gettext_lazy("Number of countries"),
    severity=Severity.BLOCK,
    source=CENTRAL_2013,
    params={"max_countries": 3},
    messages={
        "country-count": gettext_lazy(
            "%(count)d countries or regions (%(countries)s), more than the %(max)d allowed; a transit stop counts unless it is airside only (%(source)s)."
        )
    },
)
def country_count(facts, params):
    countries = facts.countries
    if len(countries) > params["max_countries"]:
        yield Hit(
            "country-count",
            {
                "count": len(countries),
                "countries": ", ".join(countries),
                "max": params["max_countries"],
            },
            {"countries": countries},
        )


def stay_limit(count: int, params, countries) -> tuple[int, bool]:
    """The allowed days for ``count`` countries (the largest listed count beyond the table),
    plus the extra day when a destination lies in one of the listed regions."""
    limits = {int(k): v for k, v in params["limits"].items()}
    base = limits.get(count) or limits[max(limits)]
    extra = any(in_regions(c, params["extra_day_regions"]) for c in countries)
    return base + (params["extra_days"] if extra else 0), extra


@rule(
    "stay-days",
    title=gettext_lazy("Days abroad"),
    severity=Severity.BLOCK,
    source=CENTRAL_2013,
    params={
        "limits": {"1": 5, "2": 8, "3": 10},
        "extra_day_regions": ["latin_america", "africa"],
        "extra_days": 1,
    },
    messages={
        "stay-days": gettext_lazy(
            "%(count)d countries in %(days)d days (departure and return days included), more than the %(limit)d days allowed (%(source)s)."
        )
    },
)
def stay_days(facts, params):
    countries = facts.countries
    if not countries:
        return
    days = facts.stay_days
    limit, extra = stay_limit(len(countries), params, countries)
    if days > limit:
        yield Hit(
            "stay-days",
            {"count": len(countries), "days": days, "limit": limit},
            {
                "departure": facts.departure.isoformat(),
                "return": facts.return_date.isoformat(),
                "countries": countries,
                "extra_day": extra,
            },
        )


@rule(
    "business-share",
    title=gettext_lazy("Share of official business"),
    severity=Severity.BLOCK,
    source=CENTRAL_2013,
    params={"numerator": 2, "denominator": 3},
    messages={
        "business-share": gettext_lazy(
            "%(business)d of %(days)d days abroad are official business, less than %(share)s (%(source)s)."
        ),
        "business-share-undeclared": gettext_lazy(
            "Enter the official business days of each stop: at least %(share)s of the days abroad must be official business (%(source)s)."
        ),
    },
)
def business_share(facts, params):
    stops = [s for s in facts.stops if s.counts_as_country]
    if not stops:
        return
    share = f"{params['numerator']}/{params['denominator']}"
    declared = [s.business_days for s in stops if s.business_days is not None]
    if not declared:
        yield Hit("business-share-undeclared", {"share": share}, severity=Severity.INFO)
        return
    days, business = facts.stay_days, sum(declared)
    if business * params["denominator"] < days * params["numerator"]:
        yield Hit(
            "business-share",
            {"business": business, "days": days, "share": share},
            {"business_days": business, "days": days},
        )
