"""The rules and the control lists on a proposed content, before it is the case's: judged by
the rule versions in force now (a material change is a new decision), as a submission is."""

from django.utils.translation import gettext as _

from waiban.changes.content import budget_total, people_of
from waiban.core.calendar import WorkingCalendar
from waiban.core.errors import ServiceError
from waiban.rules.engine import evaluate, history_ranks, history_years, versions_in_force
from waiban.rules.facts import (
    Facts,
    Stop,
    member_from_person,
    trip_stops,
    with_history,
    with_unit_facts,
)
from waiban.rules.models import Severity
from waiban.rules.services import Evaluation


def content_evaluate(*, delegation, content, on) -> Evaluation:
    versions = versions_in_force(authority_id=delegation.authority_id, on=on)
    people = people_of(content)
    facts = Facts(
        members=tuple(
            member_from_person(people[m["person"]], m["role"]) for m in content["members"]
        ),
        stops=trip_stops(
            Stop(
                country=s["country"],
                city=s["city"],
                arrival=_date(s["arrival_date"]),
                departure=_date(s["departure_date"]),
                is_transit=s["is_transit"],
                is_airside=s["is_airside"],
                business_days=s["business_days"],
            )
            for s in content["stops"]
        ),
        budget_total=budget_total(content),
        funding_source=content["funding_source"],
        inviting_organisation=content["inviting_organisation"],
        inviting_kind=content["inviting_organisation_kind"],
        as_of=on,
        delegation_id=delegation.pk,
        calendar=WorkingCalendar(),
    )
    facts = with_unit_facts(facts, unit_id=delegation.unit_id)
    facts = with_history(
        facts, history_years(versions), ranks=history_ranks(versions), people=list(people.values())
    )
    return Evaluation(evaluate(facts, versions), versions, facts.screening)


def _date(text):
    import datetime as dt

    return dt.date.fromisoformat(text)


def check_no_block(evaluation) -> None:
    """A block finding stops the change as it stops a submission; warnings go to the reviewer
    with the change's reason."""
    blocks = [f for f in evaluation.findings if f.severity == Severity.BLOCK]
    if blocks:
        raise ServiceError(
            "rule_blocked",
            _("The changed application breaks a rule: fix it before proposing the change."),
            params={
                "problems": [{"field": f.code, "key": f.key, "message": f.message} for f in blocks],
                "findings": [f.as_json() for f in blocks],
            },
        )


def warnings_of(evaluation) -> list[dict]:
    return [
        {"code": f.code, "key": f.key, "message": str(f.message)}
        for f in evaluation.findings
        if f.severity == Severity.WARN
    ]
