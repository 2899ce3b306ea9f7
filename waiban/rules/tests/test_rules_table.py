"""Each rule at its boundary and either side of it, with the default parameters (DESIGN.md §4)."""

import datetime as dt
from dataclasses import replace

import pytest

from waiban.rules.facts import Member, Stop
from waiban.rules.tests.helpers import (
    START,
    EveryDayCalendar,
    facts,
    itinerary,
    members,
    run,
    trip,
)


@pytest.mark.parametrize("people, found", [(5, 0), (6, 0), (7, 1)])
def test_group_size_allows_six_people_and_finds_a_seventh(people, found):
    assert len(run("group-size", facts(members=members(people)))) == found


@pytest.mark.parametrize(
    "countries, found", [(["DE", "FR"], 0), (["DE", "FR", "IT"], 0), (["DE", "FR", "IT", "ES"], 1)]
)
def test_country_count_allows_three_countries_and_finds_a_fourth(countries, found):
    assert len(run("country-count", facts(stops=itinerary(countries, 9)))) == found


def test_a_transit_counts_as_a_country_unless_it_is_airside_only():
    base = itinerary(["DE", "FR", "IT"], 9)
    transit = Stop("NL", "Amsterdam", base[-1].departure, base[-1].departure, is_transit=True)
    assert len(run("country-count", facts(stops=(*base, transit)))) == 1
    airside = replace(transit, is_airside=True)
    assert run("country-count", facts(stops=(*base, airside))) == []


@pytest.mark.parametrize(
    "countries, days, found",
    [
        (["DE"], 4, 0),
        (["DE"], 5, 0),
        (["DE"], 6, 1),
        (["DE", "FR"], 8, 0),
        (["DE", "FR"], 9, 1),
        (["DE", "FR", "IT"], 10, 0),
        (["DE", "FR", "IT"], 11, 1),
        # one more day where a destination is in Africa or Latin America
        (["KE"], 6, 0),
        (["KE"], 7, 1),
        (["BR", "AR", "CL"], 11, 0),
        (["BR", "AR", "CL"], 12, 1),
        (["DE", "EG"], 9, 0),
        (["DE", "EG"], 10, 1),
    ],
)
def test_stay_days_count_departure_and_return_day_against_the_limit(countries, days, found):
    hits = run("stay-days", facts(stops=itinerary(countries, days)))
    assert len(hits) == found
    if hits:
        assert hits[0].figures["days"] == days


def test_stay_days_message_names_the_figures_and_the_source(db):
    from waiban.rules.engine import evaluate, versions_in_force

    the_facts = facts(stops=itinerary(["DE", "FR", "IT"], 11))
    found = [
        f
        for f in evaluate(the_facts, versions_in_force(authority_id=None, on=START))
        if f.code == "stay-days"
    ]
    assert found[0].severity == "block"
    assert found[0].message == (
        "3 countries in 11 days (departure and return days included), more than the 10 days "
        "allowed (中办发〔2013〕16号)."
    )
    assert found[0].data["departure"] == START.isoformat()


@pytest.mark.parametrize(
    "days, business, found",
    [(6, 4, 0), (6, 3, 1), (7, 5, 0), (7, 4, 1), (9, 6, 0), (9, 5, 1)],
)
def test_business_share_needs_two_thirds_of_the_days(days, business, found):
    stops = itinerary(["DE"], days)
    stops = (replace(stops[0], business_days=business),)
    hits = run("business-share", facts(stops=stops))
    assert len(hits) == found


def test_undeclared_business_days_are_only_information():
    [hit] = run("business-share", facts())
    assert hit.severity == "info"


DEPARTURE = START


@pytest.mark.parametrize(
    "rank, post, returned_days_before, found",
    [
        # bureau level: one trip per two years
        ("bureau_deputy", "副厅长", 2 * 365 + 2, 0),
        ("bureau_deputy", "副厅长", 2 * 365 - 1, 1),
        ("bureau_deputy", "副厅长", 30, 1),
        # heads of departments and cities: one trip per year
        ("bureau_full", "厅长", 366, 0),
        ("bureau_full", "厅长", 364, 1),
        # below bureau level: no frequency limit here
        ("division_full", "处长", 30, 0),
    ],
)
def test_frequency_limits_bureau_level_trips(rank, post, returned_days_before, found):
    member = Member(person_id=1, name="李明", rank=rank, post=post)
    earlier = trip(1, DEPARTURE - dt.timedelta(days=returned_days_before), rank=rank)
    hits = run(
        "frequency", facts(members=(member,), stops=itinerary(["DE"], 5), history=(earlier,))
    )
    assert len(hits) == found
    if hits:
        assert [t["trip"] for t in hits[0].figures["trips"]] == [earlier.case_number]
        assert hits[0].subject == "1"


def test_teaching_and_research_staff_are_exempt_from_the_frequency_limit():
    member = Member(1, "王教授", rank="bureau_deputy", is_teaching_research=True)
    earlier = trip(1, DEPARTURE - dt.timedelta(days=30))
    the_facts = facts(members=(member,), stops=itinerary(["DE"], 5), history=(earlier,))
    assert run("frequency", the_facts) == []
    assert len(run("frequency", the_facts, exempt_teaching_research=False)) == 1


def test_a_trip_made_at_a_lower_rank_does_not_count_towards_the_bureau_limit():
    member = Member(1, "李明", rank="bureau_deputy", post="副厅长")
    earlier = trip(1, DEPARTURE - dt.timedelta(days=30), rank="division_full")
    assert run("frequency", facts(members=(member,), history=(earlier,))) == []


@pytest.mark.parametrize(
    "total, funding, found", [(0, "fiscal", 1), (0, "own", 1), (0, "host", 0), (1, "fiscal", 0)]
)
def test_no_budget_no_trip_unless_the_host_pays(total, funding, found):
    assert len(run("budget", facts(budget_total=total, funding_source=funding))) == found


@pytest.mark.parametrize(
    "kind, severities",
    [
        ("counterpart", []),
        ("agent", ["block"]),
        ("foreign_mission", ["block"]),
        ("individual", ["block"]),
        ("", ["info"]),
    ],
)
def test_invitations_must_come_from_a_counterpart_body(kind, severities):
    hits = run("invitation", facts(inviting_kind=kind))
    assert [h.severity or "block" for h in hits] == severities


@pytest.mark.parametrize(
    "organisation, kind, found",
    [
        # names that give an agency or a mission away, whatever the clerk chose
        ("广西中国国际旅行社有限公司", "company", [("invitation-looks-agency", "旅行社")]),
        ("中国国际旅行服务中心", "counterpart", [("invitation-looks-agency", "国际旅行")]),
        (
            "Bavaria Travel Agency GmbH",
            "counterpart",
            [("invitation-looks-agency", "travel agency")],
        ),
        ("德国驻广州总领事馆", "counterpart", [("invitation-looks-mission", "总领事馆")]),
        ("Embassy of Germany in Beijing", "university", [("invitation-looks-mission", "embassy")]),
        ("日本贸易振兴机构北京代表处", "company", [("invitation-looks-mission", "代表处")]),
        # ordinary counterparts
        ("慕尼黑工业大学", "university", []),
        ("德中经济联合会", "counterpart", []),
        ("University of Tours", "university", []),
        # the kind agrees with the name: the block says it all, no second finding
        ("中国国际旅行社", "agent", [("invitation", None)]),
        ("法国驻华大使馆", "foreign_mission", [("invitation", None)]),
    ],
)
def test_an_invitation_whose_name_looks_like_an_agency_or_mission_is_a_warning(
    organisation, kind, found
):
    hits = run("invitation", facts(inviting_organisation=organisation, inviting_kind=kind))
    assert [(h.message_key, h.figures.get("word")) for h in hits] == found
    for hit in hits:
        if hit.message_key != "invitation":
            assert hit.severity == "warn" and hit.figures["organisation"] == organisation


def test_the_office_edits_the_words_that_give_an_agency_away():
    the_facts = facts(inviting_organisation="ACME Reisebüro", inviting_kind="company")
    assert run("invitation", the_facts) == []
    [hit] = run("invitation", the_facts, agency_words=["reisebüro"])
    assert hit.message_key == "invitation-looks-agency" and hit.figures["word"] == "reisebüro"
    assert run("invitation", facts(inviting_organisation="Travel Agency X"), agency_words=[]) == []


def test_a_version_saved_before_the_word_lists_still_finds_a_mission_by_name():
    from waiban.rules.engine import REGISTRY

    old_params = {"refused_kinds": ["agent", "foreign_mission", "individual"]}
    the_facts = facts(inviting_organisation="德国驻华大使馆", inviting_kind="counterpart")
    [hit] = REGISTRY["invitation"].check(the_facts, old_params)
    assert hit.message_key == "invitation-looks-mission"


def test_two_members_of_one_leadership_team_are_found_and_named():
    team = (
        Member(1, "张厅长", leadership_unit_id=7, leadership_unit="省商务厅"),
        Member(2, "李副厅长", leadership_unit_id=7, leadership_unit="省商务厅"),
        Member(3, "王处长"),
        Member(4, "赵局长", leadership_unit_id=8, leadership_unit="市商务局"),
    )
    [hit] = run("same-leadership", facts(members=team))
    assert hit.figures == {"names": "张厅长、李副厅长", "team": "省商务厅"}
    assert hit.subject == "7" and hit.data == {"people": [1, 2]}
    # one leader of each of two units, or one leader with staff: nothing to find
    assert run("same-leadership", facts(members=(team[0], team[2], team[3]))) == []


@pytest.mark.parametrize(
    "countries, days_ahead, found",
    [(["DE"], 10, 0), (["DE"], 9, 1), (["US"], 20, 0), (["US"], 19, 1)],
)
def test_lead_time_needs_working_days_before_departure_by_destination(countries, days_ahead, found):
    the_facts = facts(
        stops=itinerary(countries, 5),
        as_of=START - dt.timedelta(days=days_ahead),
        calendar=EveryDayCalendar(),
    )
    assert len(run("lead-time", the_facts)) == found


def test_in_plan_and_watchlist_report_nothing_until_their_data_exists():
    assert run("in-plan", facts()) == [] and run("watchlist", facts()) == []


@pytest.mark.parametrize("earlier_in_term, found", [(0, 0), (1, 0), (2, 1)])
def test_a_recorded_term_allows_two_bureau_trips_per_term_instead(earlier_in_term, found):
    """'≤ 1 trip per 2 years, or 2 per term': with the term start recorded, a second trip in
    the term is allowed even within two years of the first; a third is not."""
    member = Member(1, "李明", rank="bureau_deputy", post="副厅长")
    term_start = DEPARTURE - dt.timedelta(days=400)
    earlier = tuple(
        trip(1, DEPARTURE - dt.timedelta(days=30 + 60 * i)) for i in range(earlier_in_term)
    )
    hits = run(
        "frequency",
        facts(members=(member,), stops=itinerary(["DE"], 5), history=earlier),
        term_start=term_start.isoformat(),
    )
    assert len(hits) == found


def test_messages_name_countries_in_the_readers_language_not_by_code():
    from django.utils import translation

    from waiban.rules.engine import render

    params = {"count": 4, "countries": "DE, FR, NL, IT", "max": 3, "source": "中办发〔2013〕16号"}
    with translation.override("zh-hans"):
        chinese = render("country-count", params)
    with translation.override("en"):
        english = render("country-count", params)
    assert "德国、法国、荷兰、意大利" in chinese and "DE" not in chinese
    assert "Germany, France, Netherlands, Italy" in english
