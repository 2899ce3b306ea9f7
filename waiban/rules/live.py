"""Facts from the application form as typed (unsaved), for the live findings beside the form.

Every row that is valid on its own counts, so the clerk sees findings while the rest is still
incomplete or wrong (the form itself says what is wrong beside each field).
"""

from decimal import Decimal

from waiban.people.models import Person
from waiban.rules.facts import (
    Facts,
    Stop,
    member_from_person,
    trip_stops,
    with_history,
    with_unit_facts,
)
from waiban.visits.forms import BudgetForm, DelegationForm, MemberFormSet, StopFormSet


def _valid_rows(formset):
    formset.is_valid()  # runs every form's clean; we read the rows that passed on their own
    return [f.cleaned_data for f in formset.forms if not f.errors and f.cleaned_data]


def facts_from_post(
    post, *, unit, delegation_id, as_of, history_years, calendar, history_ranks=None
) -> Facts:
    form = DelegationForm(post)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    # with the unit: a leadership-team member's facts name it
    people = Person.objects.filter(unit=unit, is_active=True).select_related("unit")
    members = MemberFormSet(post, prefix="members", form_kwargs={"people": people})
    stops = StopFormSet(post, prefix="stops")
    budget = BudgetForm(post, prefix="budget")
    budget.is_valid()
    member_rows = [r for r in _valid_rows(members) if r.get("person")]
    seen = set()
    chosen = []
    for row in member_rows:
        if row["person"].pk not in seen:
            seen.add(row["person"].pk)
            chosen.append(member_from_person(row["person"], row.get("role", "member")))
    stop_rows = [
        r
        for r in _valid_rows(stops)
        if r.get("country") and r.get("arrival_date") and r.get("departure_date")
    ]
    facts = Facts(
        members=tuple(chosen),
        stops=trip_stops(
            Stop(
                country=r["country"],
                city=r.get("city", ""),
                arrival=r["arrival_date"],
                departure=r["departure_date"],
                is_transit=r.get("is_transit", False),
                is_airside=r.get("is_airside", False),
                business_days=r.get("business_days"),
            )
            for r in stop_rows
        ),
        budget_total=sum(
            (v for v in getattr(budget, "cleaned_data", {}).values() if v), Decimal(0)
        ),
        funding_source=data.get("funding_source") or "fiscal",
        inviting_organisation=data.get("inviting_organisation", ""),
        inviting_kind=data.get("inviting_organisation_kind", ""),
        as_of=as_of,
        delegation_id=delegation_id,
        calendar=calendar,
    )
    # The plan and the passports as the saved path reads them, with the trip as typed.
    facts = with_unit_facts(facts, unit_id=unit.pk)
    return with_history(facts, history_years, ranks=history_ranks)
