"""The unit head's commitment vouches for who travels, where and when: a change to any of them
before submission needs it given again; other edits keep it."""

import datetime as dt

import pytest

from waiban.testing.factories import DelegationFactory
from waiban.visits.editing import delegation_save
from waiban.visits.states import State


def _content(delegation, *, shift=0, drop_last_member=False, country=None):
    members = [{"person": m.person, "role": m.role} for m in delegation.members.all()]
    if drop_last_member:
        members = members[:-1]
    stops = [
        {
            "country": country if (country and i == 1) else s.country.code,
            "city": s.city,
            "arrival_date": s.arrival_date + dt.timedelta(days=shift),
            "departure_date": s.departure_date + dt.timedelta(days=shift),
            "is_transit": s.is_transit,
            "is_airside": s.is_airside,
            "business_days": s.business_days,
        }
        for i, s in enumerate(delegation.stops.all())
    ]
    budget = {b.kind: b.amount for b in delegation.budget_lines.all()}
    data = {"title": delegation.title, "purpose": delegation.purpose}
    return {"data": data, "members": members, "stops": stops, "budget": budget}


@pytest.mark.parametrize(
    "change",
    [{"shift": 35}, {"drop_last_member": True}, {"country": "IT"}],
    ids=["dates", "members", "countries"],
)
def test_moving_dates_members_or_countries_after_the_commitment_asks_for_it_again(
    unit, clerk, change
):
    delegation = DelegationFactory(unit=unit, created_by=clerk, state=State.DRAFT)
    assert delegation.committed_at is not None
    delegation_save(actor=clerk, unit=unit, delegation=delegation, **_content(delegation, **change))
    delegation.refresh_from_db()
    assert delegation.committed_at is None and delegation.committed_by is None


def test_a_wording_edit_keeps_the_commitment(unit, clerk):
    delegation = DelegationFactory(unit=unit, created_by=clerk, state=State.SENT_BACK)
    content = _content(delegation)
    content["data"]["purpose"] = "商务洽谈（更正错字）"
    delegation_save(actor=clerk, unit=unit, delegation=delegation, **content)
    delegation.refresh_from_db()
    assert delegation.committed_at is not None
