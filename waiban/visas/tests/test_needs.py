import datetime as dt

from waiban.passports.models import Passport
from waiban.people.models import Rank
from waiban.visas.models import Embassy, VisaBatch
from waiban.visas.needs import LEARN_FROM, lead_times, trip_visas
from waiban.visas.tests.conftest import three_country_trip
from waiban.visits.models import DelegationMember


def _by(needs, country):
    return {n.member.person_id: n for n in needs if n.country == country}


def test_service_passports_need_visas_for_germany_and_ireland_but_not_thailand(unit, regimes):
    delegation = three_country_trip(unit)
    visas = trip_visas(delegation)
    assert len(visas.needs) == 9  # 3 members × 3 countries
    assert {n.country for n in visas.visa_needs} == {"DE", "IE"}
    germany = next(iter(_by(visas.needs, "DE").values()))
    # The consulate whose district holds the office (Guangxi), with its default lead time.
    assert germany.embassy.city == "广州"
    assert germany.lead.days == 15 and not germany.lead.learnt
    assert germany.apply_by == delegation.departure_date - dt.timedelta(days=15)
    ireland = next(iter(_by(visas.needs, "IE").values()))
    assert ireland.embassy.via_mfa and ireland.to_verify


def test_a_ministerial_delegation_is_exempt_in_ireland(unit, regimes):
    delegation = three_country_trip(unit)
    leader = delegation.members.get(role="leader")
    leader.person.rank = Rank.PROVINCIAL_DEPUTY
    leader.person.save()
    assert {n.country for n in trip_visas(delegation).visa_needs} == {"DE"}


def test_a_stay_longer_than_the_exemption_needs_a_visa(unit, regimes):
    delegation = three_country_trip(unit)
    stop = delegation.stops.get(country="TH")
    stop.departure_date = stop.arrival_date + dt.timedelta(days=40)
    stop.save()
    thailand = _by(trip_visas(delegation).needs, "TH")
    assert all(n.needs_visa and n.over_stay for n in thailand.values())


def test_a_member_without_a_passport_is_judged_by_the_kind_their_rank_gets(unit, regimes):
    delegation = three_country_trip(unit)
    member = DelegationMember.objects.filter(delegation=delegation).last()
    Passport.objects.filter(person=member.person).update(status="cancelled")
    need = _by(trip_visas(delegation).needs, "DE")[member.person_id]
    assert need.kind_assumed and need.kind == "service"  # division level: service passport


def test_the_lead_time_is_learnt_from_the_offices_own_batches(unit, regimes, visa_officer):
    embassy = Embassy.objects.get(country="DE")
    for days in (20, 30, 24):
        delegation = three_country_trip(unit, members=1)
        VisaBatch.objects.create(
            delegation=delegation,
            embassy=embassy,
            state="back",
            sent_on=dt.date(2026, 1, 1),
            back_on=dt.date(2026, 1, 1) + dt.timedelta(days=days),
            created_by=visa_officer,
        )
    lead = lead_times(unit.authority_id, [embassy])[embassy.pk]
    assert LEARN_FROM == 3
    assert lead.learnt and lead.days == 24 and lead.samples == 3
    # Another office's history does not count for this one.
    assert not lead_times(unit.authority_id + 1000, [embassy])[embassy.pk].learnt
