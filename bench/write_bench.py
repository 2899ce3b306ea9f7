"""The write path: submitting a delegation, as a Python loop (not over HTTP).

Each submit consumes a draft, so the drafts are prepared first (the demo unit's clerk, two of
its people, one stop, budget, the invitation letter's row), then timed one by one:

- waiban: ``delegation_submit`` — lock, transition and completeness checks, the rules with
  their findings, the case number, the members' snapshot, the history row, the audit event,
  the control-list screening — in one transaction;
- raw: the same rows written with plain SQL on one psycopg connection in one transaction
  (lock the row, update it, snapshot the members, insert the history row and the audit
  event), with none of the checks.

Both loops run on the database DATABASE_URL points at; part of bench/web_bench.py.
"""

import datetime as dt
import statistics
import time
from decimal import Decimal


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _summary(timings, queries):
    ms = [t * 1000 for t in timings]
    return {
        "rps": len(ms) / (sum(ms) / 1000),
        "p50_ms": statistics.median(ms),
        "p95_ms": _percentile(ms, 0.95),
        "p99_ms": _percentile(ms, 0.99),
        "queries": queries,
        "errors": 0,
    }


def prepare(count):
    from django.utils import timezone

    from waiban.accounts.models import User
    from waiban.people.models import Person
    from waiban.visits.models import (
        Attachment,
        BudgetLine,
        Delegation,
        DelegationMember,
        ItineraryStop,
    )

    clerk = User.objects.get(username="clerk")
    people = list(Person.objects.filter(unit_id=clerk.unit_id, is_active=True).order_by("-id")[:2])
    departure = timezone.localdate() + dt.timedelta(days=60)
    drafts = []
    for i in range(count):
        delegation = Delegation.objects.create(
            title=f"基准测试团组 {i}",
            task_type="business_talks",
            purpose="商务洽谈",
            unit_id=clerk.unit_id,
            authority_id=clerk.unit.authority_id,
            leader=people[0],
            inviting_organisation="Bench GmbH",
            departure_date=departure,
            return_date=departure + dt.timedelta(days=4),
            committed_at=timezone.now(),
            created_by=clerk,
        )
        for position, person in enumerate(people):
            DelegationMember.objects.create(
                delegation=delegation,
                person=person,
                role="leader" if position == 0 else "member",
                position=position,
            )
        ItineraryStop.objects.create(
            delegation=delegation,
            position=0,
            country="DE",
            city="柏林",
            arrival_date=departure,
            departure_date=departure + dt.timedelta(days=4),
        )
        BudgetLine.objects.create(delegation=delegation, kind="air_fare", amount=Decimal("20000"))
        Attachment.objects.create(
            delegation=delegation,
            kind="invitation",
            file="attachments/bench/invitation.pdf",
            original_name="invitation.pdf",
            content_type="application/pdf",
            size=1000,
            sha256="0" * 64,
            uploaded_by=clerk,
        )
        drafts.append(delegation)
    return clerk, drafts


def justifications_for(delegation):
    from django.utils import timezone

    from waiban.rules.services import delegation_evaluate

    evaluation = delegation_evaluate(delegation=delegation, on=timezone.localdate())
    return {f.key: "基准测试" for f in evaluation.findings}


def run_service(clerk, drafts):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from waiban.visits.workflow import delegation_submit

    justifications = justifications_for(drafts[0])
    timings, queries = [], 0
    for delegation in drafts:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            delegation_submit(delegation=delegation, actor=clerk, justifications=justifications)
            timings.append(time.perf_counter() - started)
        queries = max(queries, len(captured))
    return _summary(timings, queries)


RAW_STATEMENTS = [
    "SELECT id, state, version FROM visits_delegation WHERE id = %(id)s FOR UPDATE",
    "UPDATE visits_delegation SET state = 'pre_review', version = version + 1, "
    "case_number = %(case)s, submitted_at = now(), state_entered_at = now(), "
    "deadline = %(deadline)s, updated_at = now() WHERE id = %(id)s",
    "UPDATE visits_delegationmember m SET post_at_submission = p.post, "
    "rank_at_submission = p.rank FROM people_person p "
    "WHERE p.id = m.person_id AND m.delegation_id = %(id)s",
    "INSERT INTO visits_delegationevent (delegation_id, at, actor_id, action, from_state, "
    "to_state, comment, deadline) VALUES (%(id)s, now(), %(actor)s, 'submit', 'draft', "
    "'pre_review', '', %(deadline)s)",
    "INSERT INTO core_auditevent (at, actor_id, action, object_type, object_id, object_repr, "
    "old_values, new_values, ip, user_agent) VALUES (now(), %(actor)s, 'delegation.submit', "
    "'visits.delegation', %(id)s, %(case)s, '{\"state\": \"draft\"}', "
    "'{\"state\": \"pre_review\"}', NULL, '')",
]


def run_raw(clerk, drafts):
    import os

    import psycopg

    deadline = dt.date.today() + dt.timedelta(days=1)
    timings = []
    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
        for delegation in drafts:
            params = {
                "id": delegation.pk,
                "actor": clerk.pk,
                "case": f"B{time.time_ns() % 10**15:015d}",
                "deadline": deadline,
            }
            started = time.perf_counter()
            with connection.transaction(), connection.cursor() as cursor:
                for sql in RAW_STATEMENTS:
                    cursor.execute(sql, params)
            timings.append(time.perf_counter() - started)
    return _summary(timings, len(RAW_STATEMENTS) + 2)  # + BEGIN and COMMIT


def run(count=60):
    clerk, drafts = prepare(count * 2 + 1)
    warm, ours, theirs = drafts[0], drafts[1 : count + 1], drafts[count + 1 :]
    from waiban.visits.workflow import delegation_submit

    delegation_submit(delegation=warm, actor=clerk, justifications=justifications_for(warm))
    waiban = run_service(clerk, ours)
    raw = run_raw(clerk, theirs)
    return {
        "waiban": waiban,
        "raw": raw,
        "throughput_ratio": waiban["rps"] / raw["rps"],
        "p95_ratio": waiban["p95_ms"] / raw["p95_ms"],
        "ratio": f"{waiban['rps'] / raw['rps']:.0%} rps, "
        f"{waiban['p95_ms'] / raw['p95_ms']:.1f}x p95",
    }
