"""A case's content as one plain, JSON-safe snapshot; what changed between two of them, field
by field, administrative or material (DESIGN.md §8); and writing a snapshot onto the case.

Administrative: a corrected post, a title or purpose reworded, a city's spelling, budget lines
moved without the total going up. Material: members added or removed, another leader or role,
other dates or countries, other stops, the budget up, another inviter, funding or task type.
"""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from waiban.people.models import Person

TEXT_FIELDS = [
    "title",
    "task_type",
    "purpose",
    "inviting_organisation",
    "inviting_organisation_kind",
    "funding_source",
]

# The class of each change, with its label (the case page and the audit name the code).
ADMINISTRATIVE = {
    "post": _("A member's post corrected"),
    "title": _("Title reworded"),
    "purpose": _("Purpose reworded"),
    "city": _("A city's name corrected"),
    "budget": _("Budget lines moved (total not higher)"),
}
MATERIAL = {
    "member_added": _("Member added"),
    "member_removed": _("Member removed"),
    "leader": _("Another leader"),
    "role": _("A member's role in the group"),
    "dates": _("Dates moved"),
    "countries": _("Countries or regions"),
    "itinerary": _("Stops of the itinerary"),
    "budget_up": _("Budget up"),
    "invitation": _("Inviting organisation"),
    "invitation_letter": _("Invitation letter replaced"),
    "funding_source": _("Funding source"),
    "task_type": _("Task type"),
}
LABELS = {**ADMINISTRATIVE, **MATERIAL}


def content_of(delegation) -> dict:
    """The case's content now; members with their post as approved (the snapshot taken at
    submission, else the registry's)."""
    members = delegation.members.select_related("person")
    return {
        **{key: getattr(delegation, key) for key in TEXT_FIELDS},
        "members": [
            {
                "person": m.person_id,
                "name": m.person.name_zh,
                "role": m.role,
                "post": m.post_at_submission or m.person.post,
                "rank": m.rank_at_submission or m.person.rank,
            }
            for m in members
        ],
        "stops": [
            {
                "country": s.country.code,
                "city": s.city,
                "arrival_date": s.arrival_date.isoformat(),
                "departure_date": s.departure_date.isoformat(),
                "is_transit": s.is_transit,
                "is_airside": s.is_airside,
                "business_days": s.business_days,
            }
            for s in delegation.stops.all()
        ],
        "budget": {b.kind: _amount(b.amount) for b in delegation.budget_lines.all() if b.amount},
    }


def content_from_forms(*, data: dict, members: list[dict], stops: list[dict], budget: dict):
    """The proposal as the change form gives it (the application form's shapes, plus each
    member's post)."""
    return {
        **{key: data.get(key, "") for key in TEXT_FIELDS},
        "members": [
            {
                "person": m["person"].pk,
                "name": m["person"].name_zh,
                "role": m["role"],
                "post": (m.get("post") or m["person"].post).strip(),
                "rank": m["person"].rank,
            }
            for m in members
        ],
        "stops": [
            {
                **s,
                "arrival_date": s["arrival_date"].isoformat(),
                "departure_date": s["departure_date"].isoformat(),
            }
            for s in stops
        ],
        "budget": {kind: _amount(amount) for kind, amount in budget.items() if amount},
    }


def _amount(value) -> str:
    """Amounts as the database keeps them (two decimals): 30000 and 30000.00 are one amount."""
    return str(Decimal(value).quantize(Decimal("0.01")))


def _day(text) -> dt.date:
    return dt.date.fromisoformat(text)


def trip_dates(content) -> tuple[str, str]:
    stops = content["stops"]
    return (
        min((s["arrival_date"] for s in stops), default=""),
        max((s["departure_date"] for s in stops), default=""),
    )


def countries_of(content) -> list[str]:
    counted = (s for s in content["stops"] if not (s["is_transit"] and s["is_airside"]))
    return list(dict.fromkeys(s["country"] for s in counted))


def budget_total(content) -> Decimal:
    return sum((Decimal(v) for v in content["budget"].values()), Decimal(0))


def leader_of(content) -> int | None:
    return next((m["person"] for m in content["members"] if m["role"] == "leader"), None)


def _change(code, old, new) -> dict:
    return {"field": code, "material": code in MATERIAL, "old": old, "new": new}


def _member_changes(old, new) -> list[dict]:
    found = []
    before = {m["person"]: m for m in old["members"]}
    after = {m["person"]: m for m in new["members"]}
    for person, m in after.items():
        if person not in before:
            found.append(_change("member_added", "", m["name"]))
    for person, m in before.items():
        if person not in after:
            found.append(_change("member_removed", m["name"], ""))
    old_leader, new_leader = leader_of(old), leader_of(new)
    if old_leader != new_leader:
        names = {
            **{p: m["name"] for p, m in before.items()},
            **{p: m["name"] for p, m in after.items()},
        }
        found.append(_change("leader", names.get(old_leader, ""), names.get(new_leader, "")))
    for person in before.keys() & after.keys():
        was, now = before[person], after[person]
        if was["role"] != now["role"] and person not in (old_leader, new_leader):
            found.append(
                _change("role", f"{was['name']} {was['role']}", f"{now['name']} {now['role']}")
            )
        if was["post"] != now["post"]:
            found.append(
                _change("post", f"{was['name']} {was['post']}", f"{now['name']} {now['post']}")
            )
    return found


def _stop_shape(stop) -> tuple:
    """A stop without its city's spelling."""
    return tuple(v for k, v in sorted(stop.items()) if k != "city")


def _stop_changes(old, new) -> list[dict]:
    found = []
    if trip_dates(old) != trip_dates(new):
        found.append(_change("dates", " – ".join(trip_dates(old)), " – ".join(trip_dates(new))))
    if countries_of(old) != countries_of(new):
        found.append(
            _change("countries", "、".join(countries_of(old)), "、".join(countries_of(new)))
        )
    if found or old["stops"] == new["stops"]:
        return found  # the dates or countries say it already
    cities = lambda c: "、".join(s["city"] for s in c["stops"])  # noqa: E731
    if [_stop_shape(s) for s in old["stops"]] == [_stop_shape(s) for s in new["stops"]]:
        return [_change("city", cities(old), cities(new))]
    return [_change("itinerary", cities(old), cities(new))]


def classify(old: dict, new: dict) -> list[dict]:
    """Each change from ``old`` to ``new``: {"field", "material", "old", "new"}."""
    found = _member_changes(old, new) + _stop_changes(old, new)
    old_total, new_total = budget_total(old), budget_total(new)
    if new_total > old_total:
        found.append(_change("budget_up", str(old_total), str(new_total)))
    elif {k: Decimal(v) for k, v in old["budget"].items()} != {
        k: Decimal(v) for k, v in new["budget"].items()
    }:
        found.append(_change("budget", str(old_total), str(new_total)))
    if (old["inviting_organisation"], old["inviting_organisation_kind"]) != (
        new["inviting_organisation"],
        new["inviting_organisation_kind"],
    ):
        found.append(
            _change("invitation", old["inviting_organisation"], new["inviting_organisation"])
        )
    for key in ("title", "purpose", "funding_source", "task_type"):
        if old[key] != new[key]:
            found.append(_change(key, old[key], new[key]))
    return found


def content_write(delegation, content: dict) -> None:
    """Make ``content`` the case's content (the caller holds the row lock). The members keep
    the post and rank of the content: the documents use the members' data as approved."""
    from waiban.visits.models import BudgetLine, DelegationMember, ItineraryStop

    for key in TEXT_FIELDS:
        setattr(delegation, key, content[key])
    delegation.leader_id = leader_of(content)
    departure, return_date = trip_dates(content)
    delegation.departure_date = _day(departure) if departure else None
    delegation.return_date = _day(return_date) if return_date else None
    delegation.save()
    delegation.members.all().delete()
    DelegationMember.objects.bulk_create(
        [
            DelegationMember(
                delegation=delegation,
                person_id=m["person"],
                role=m["role"],
                position=i,
                post_at_submission=m["post"],
                rank_at_submission=m["rank"],
            )
            for i, m in enumerate(content["members"])
        ]
    )
    delegation.stops.all().delete()
    ItineraryStop.objects.bulk_create(
        [
            ItineraryStop(
                delegation=delegation,
                position=i,
                **{
                    **s,
                    "arrival_date": _day(s["arrival_date"]),
                    "departure_date": _day(s["departure_date"]),
                },
            )
            for i, s in enumerate(content["stops"])
        ]
    )
    delegation.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(delegation=delegation, kind=k, amount=Decimal(v))
            for k, v in content["budget"].items()
        ]
    )
    # Drop what the instance had read before: whoever reads next reads the new rows.
    getattr(delegation, "_prefetched_objects_cache", {}).clear()


def content_problems(content) -> list[str]:
    """What a trip cannot do without, whatever the change: travellers with one leader, and an
    itinerary."""
    problems = []
    if not content["members"] or leader_of(content) is None:
        problems.append(_("The changed trip needs its members, one of them the leader."))
    if not content["stops"]:
        problems.append(_("The changed trip needs its itinerary (at least one stop)."))
    return problems


def with_approved_ranks(current, proposed) -> dict:
    """Members who stay keep the rank they were approved with (the rules of their trip judged
    it); new members bring their rank of today."""
    approved = {m["person"]: m["rank"] for m in current["members"]}
    members = [{**m, "rank": approved.get(m["person"], m["rank"])} for m in proposed["members"]]
    return {**proposed, "members": members}


def people_of(content) -> dict[int, Person]:
    ids = [m["person"] for m in content["members"]]
    return Person.objects.select_related("unit").in_bulk(ids)
