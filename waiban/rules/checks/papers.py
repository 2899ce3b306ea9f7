"""Money, invitation, timing, and the rules whose data lives in other parts (plans, lists)."""

import datetime as dt

from django.utils.translation import gettext_lazy

from waiban.rules.checks.trip import CENTRAL_2013
from waiban.rules.engine import Hit, rule
from waiban.rules.models import Severity


@rule(
    "in-plan",
    title=gettext_lazy("In the annual plan"),
    severity=Severity.WARN,
    source="教外厅〔2015〕1号",
    params={},
    messages={
        "not_linked": gettext_lazy(
            "The trip is not linked to an item of the unit's approved %(year)s plan: link it, or justify it as a swap within the unchanged total (%(source)s)."
        ),
        "quota_exhausted": gettext_lazy(
            "The unit's approved %(year)s plan has no room left for this trip: it would exceed the approved %(exceeded)s (%(source)s)."
        ),
        "swap_without_justification": gettext_lazy(
            "The trip is out of plan and its swap has no justification (%(source)s)."
        ),
        "swap_breaks_total": gettext_lazy(
            "The out-of-plan trip does not keep the plan's total unchanged: it would exceed the approved %(exceeded)s (%(source)s)."
        ),
        # A trip linked to an item it does not match is a swap in all but name: the clerk
        # justifies it, the reviewer reads which part differs.
        "item_mismatch_countries": gettext_lazy(
            "The trip does not match the countries of the plan item “%(item)s”: the item is for %(item_countries)s, the trip goes to %(trip_countries)s. Justify it as a swap within the unchanged total, or link the trip to a matching item (%(source)s)."
        ),
        "item_mismatch_period": gettext_lazy(
            "The trip does not match the period of the plan item “%(item)s”: the item is planned for %(quarter)s %(year)s, the trip leaves on %(departure)s. Justify it as a swap within the unchanged total, or link the trip to a matching item (%(source)s)."
        ),
        "item_mismatch_both": gettext_lazy(
            "The trip matches neither the countries nor the period of the plan item “%(item)s”: the item is for %(item_countries)s in %(quarter)s %(year)s, the trip goes to %(trip_countries)s and leaves on %(departure)s. Justify it as a swap within the unchanged total, or link the trip to a matching item (%(source)s)."
        ),
        "no_plan": gettext_lazy(
            "The unit has no approved annual plan for %(year)s, so the trip was not checked against one (%(source)s)."
        ),
    },
)
def in_plan(facts, params):
    status = facts.plan_status
    if status is None:
        return
    for problem in status.problems:
        # Until a unit's plan for the year is approved there is nothing to judge against:
        # say so (info) rather than make every clerk justify the office's timetable.
        if problem.code in ("no_plan", "plan_not_approved"):
            yield Hit(
                "no_plan", {"year": status.year}, {"code": problem.code}, severity=Severity.INFO
            )
            continue
        item = status.item.pk if status.item else None
        if problem.code == "item_mismatch":
            mismatch = problem.params["mismatch"]
            part = "both" if len(mismatch) > 1 else mismatch[0]
            figures = {k: v for k, v in problem.params.items() if k != "mismatch"}
            yield Hit(
                f"item_mismatch_{part}",
                figures,
                {"code": problem.code, "item": item, "mismatch": mismatch},
                subject="item",
            )
            continue
        # The measures stay codes in the stored figures; the message names them (engine.render).
        yield Hit(
            problem.code,
            {"year": status.year, "exceeded": list(problem.params.get("exceeded", []))},
            {"code": problem.code, "item": item},
        )


@rule(
    "budget",
    title=gettext_lazy("Budget"),
    severity=Severity.BLOCK,
    source="财行〔2013〕516号",
    params={"exempt_funding_sources": ["host"]},
    messages={
        "budget": gettext_lazy("No budget, no trip: the budget of the trip is empty (%(source)s).")
    },
)
def budget(facts, params):
    if facts.funding_source in params["exempt_funding_sources"]:
        return
    if facts.budget_total <= 0:
        yield Hit("budget", {}, {"total": str(facts.budget_total)})


# What an agency's or a foreign mission's name gives away, in Chinese and English (the office
# edits these lists in a rule version). Matched anywhere in the name, case-insensitively.
AGENCY_WORDS = [
    "旅行社",
    "旅游",
    "国际旅行",
    "旅行服务",
    "travel agency",
    "travel service",
    "tour operator",
]
MISSION_WORDS = [  # the longer word first, so the finding names it
    "总领事馆",
    "大使馆",
    "领事馆",
    "使馆",
    "代表处",
    "驻华",
    "embassy",
    "consulate",
    "representative office",
]


def _word_in(name: str, words) -> str:
    """The first of ``words`` found in ``name`` (ignoring case), or ''."""
    folded = name.casefold()
    return next((word for word in words if word and word.casefold() in folded), "")


@rule(
    "invitation",
    title=gettext_lazy("Invitation"),
    severity=Severity.BLOCK,
    source=CENTRAL_2013,
    params={
        "refused_kinds": ["agent", "foreign_mission", "individual"],
        "agency_words": AGENCY_WORDS,
        "mission_words": MISSION_WORDS,
    },
    messages={
        "invitation": gettext_lazy(
            "The invitation comes from %(kind)s (%(organisation)s); it must come from a counterpart body, not from an agent, a foreign mission in China or an individual (%(source)s)."
        ),
        "invitation-kind-missing": gettext_lazy(
            "Say what kind of organisation %(organisation)s is, so the invitation can be checked (%(source)s)."
        ),
        "invitation-looks-agency": gettext_lazy(
            "%(organisation)s looks like a travel agency or other intermediary (its name contains “%(word)s”), although its kind is given as “%(kind)s”: the reviewer will check who really invites (%(source)s)."
        ),
        "invitation-looks-mission": gettext_lazy(
            "%(organisation)s looks like a foreign mission in China (its name contains “%(word)s”), although its kind is given as “%(kind)s”: the reviewer will check who really invites (%(source)s)."
        ),
    },
)
def invitation(facts, params):
    organisation = facts.inviting_organisation
    kind = facts.inviting_kind
    if kind in params["refused_kinds"]:
        yield Hit("invitation", {"kind": kind, "organisation": organisation}, {"kind": kind})
        return
    if organisation and not kind:
        yield Hit("invitation-kind-missing", {"organisation": organisation}, severity=Severity.INFO)
        return
    if not organisation:
        return
    # The kind is the clerk's word; a name that says otherwise goes to the reviewer (a warning
    # the clerk explains), not a block: "旅游" is also in the name of a tourism ministry.
    # Versions saved before the word lists existed use the defaults.
    looks = (
        ("agent", "invitation-looks-agency", params.get("agency_words", AGENCY_WORDS)),
        ("foreign_mission", "invitation-looks-mission", params.get("mission_words", MISSION_WORDS)),
    )
    for looks_kind, message_key, words in looks:
        word = _word_in(organisation, words)
        if word and kind != looks_kind:
            yield Hit(
                message_key,
                {"organisation": organisation, "kind": kind, "word": word},
                {"kind": kind, "looks_like": looks_kind, "word": word},
                subject=looks_kind,
                severity=Severity.WARN,
            )


@rule(
    "lead-time",
    title=gettext_lazy("Lead time"),
    severity=Severity.WARN,
    source="外办办理时限 (FAO timetable)",
    params={"working_days": 10, "by_country": {"US": 20, "CA": 20, "GB": 15, "AU": 15}},
    messages={
        "lead-time": gettext_lazy(
            "Submitted %(available)d working days before departure; %(countries)s need at least %(required)d (%(source)s)."
        ),
        "lead-time-past": gettext_lazy(
            "The departure date %(departure)s has already passed: correct the itinerary's dates before submitting."
        ),
        "lead-time-visa": gettext_lazy(
            "%(visa_countries)s needs a visa from %(embassy)s, which takes about %(days)d days: the passports should go there by %(apply_by)s, but only %(available)d days remain before departure (%(source)s)."
        ),
    },
)
def lead_time(facts, params):
    if facts.departure is None or facts.as_of is None or facts.calendar is None:
        return
    if facts.departure < facts.as_of:  # a trip in the past is never submitted, whatever the rule
        yield Hit(
            "lead-time-past",
            {"departure": facts.departure.isoformat()},
            {"as_of": facts.as_of.isoformat(), "departure": facts.departure.isoformat()},
            severity=Severity.BLOCK,
        )
        return
    countries = facts.countries
    required = max([params["working_days"], *(params["by_country"].get(c, 0) for c in countries)])
    available = facts.calendar.working_days_between(facts.as_of, facts.departure)
    if available < required:
        yield Hit(
            "lead-time",
            {"available": available, "required": required, "countries": ", ".join(countries)},
            {"as_of": facts.as_of.isoformat(), "departure": facts.departure.isoformat()},
        )
    # Where the regime table says a member needs an embassy's visa, that embassy's own lead
    # time (learnt from the office's batches) counts, in calendar days.
    days_left = (facts.departure - facts.as_of).days
    for country, (days, embassy) in sorted((facts.visa_leads or {}).items()):
        if days_left < days:
            yield Hit(
                "lead-time-visa",
                {
                    "visa_countries": country,  # a code: the message names it (engine.render)
                    "embassy": embassy,
                    "days": days,
                    "apply_by": (facts.departure - dt.timedelta(days=days)).isoformat(),
                    "available": days_left,
                },
                {"country": country, "lead_days": days, "departure": facts.departure.isoformat()},
                subject=country,
            )


@rule(
    "watchlist",
    title=gettext_lazy("Control lists"),
    severity=Severity.BLOCK,
    source="广州市外办 (control lists)",
    params={},
    messages={
        # The unit learns only that the office will check the application: not which list,
        # which entry, nor which member (the findings are shown to the clerk).
        "watchlist": gettext_lazy("The office will check this application before it can go ahead."),
    },
)
def watchlist(facts, params):
    """One finding for the case when an exact match is not cleared. A possible name match
    yields none: it is stored as a hit for the reviewer alone (at submission)."""
    if any(
        severity == Severity.BLOCK and needs_review
        for _person, severity, needs_review in facts.watchlist
    ):
        yield Hit("watchlist", {}, {})
