"""The write path: submitting a delegation, as a Python loop (not over HTTP).

Each submit consumes a draft, so the drafts are prepared first, untimed: the demo unit's
clerk, two of its people, one stop, a budget line, the invitation letter's row, the unit
head's commitment. All drafts are alike, so both sides write the same rows for each. Then the
two sides take turns, one draft each (so a noisy neighbour slows both alike), after one
untimed warm-up submit each:

- waiban: ``delegation_submit`` (waiban/visits/workflow.py), timed from the call to its return,
  in one transaction: lock the row, the transition, role and scope checks, the completeness
  checks, the rules (versions in force, the facts they read: members, stops, budget, plan,
  passports, past trips, control lists), the justification of each warning, the case number,
  and the writes listed below.
- raw: the same rows written with plain SQL on one psycopg connection in one transaction,
  with none of the reads and checks above (those are what Waiban's figure measures). The
  values the checks would produce (the deadline, the findings with their rule versions, the
  audit payload) are computed once, untimed, with Waiban's own functions. The statements:

  1. ``SELECT ... FOR UPDATE`` the delegation (the lock; it also gives the old state, deadline
     and version for the audit row);
  2. the case number: ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` on the year's row of
     ``core_numbersequence``, the counter Waiban numbers from;
  3. ``UPDATE visits_delegation``: state, version, case number, submitted and state-entered
     times, deadline, updated_at;
  4. ``UPDATE visits_delegationmember ... FROM people_person``: every member's post and rank
     at submission (the snapshot);
  5. ``INSERT visits_delegationevent``: the history row;
  6. ``INSERT core_auditevent``: the audit event, with the same old and new values (state,
     deadline, version, case number, the rule versions and every finding with its
     justification);
  7. ``INSERT rules_finding``: every finding, with its rule version, parameters, source and
     justification, in one multi-row statement.

  Waiban also stores control-list hits (``watchlists_screeninghit``, with an audit event each)
  when a member matches a list; the bench's travellers match none, so neither side writes any.

Neither timed call is instrumented: Waiban's statements (with BEGIN and COMMIT, like the raw
side's) are counted on one more draft after the loops. Then the rows each side wrote per draft
are counted table by table (history, audit, findings, control-list hits, snapshotted members,
case numbers); the run fails if the two sides differ.

Both loops run on the database DATABASE_URL points at; part of bench/web_bench.py.
"""

import datetime as dt
import json
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
    from waiban.passports.models import Passport
    from waiban.people.models import Person
    from waiban.visits.models import (
        Attachment,
        BudgetLine,
        Delegation,
        DelegationMember,
        ItineraryStop,
    )

    clerk = User.objects.get(username="clerk")
    departure = timezone.localdate() + dt.timedelta(days=60)
    # Not the demo's member whose passport expires before such a trip is back: the
    # passport-validity rule would block every draft.
    expiring = Passport.objects.filter(expiry_date__lt=departure + dt.timedelta(days=4))
    people = list(
        Person.objects.filter(unit_id=clerk.unit_id, is_active=True)
        .exclude(pk__in=expiring.values("person_id"))
        .order_by("-id")[:2]
    )
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
            inviting_organisation_kind="company",
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


def evaluation_for(delegation):
    from django.utils import timezone

    from waiban.rules.services import delegation_evaluate

    return delegation_evaluate(delegation=delegation, on=timezone.localdate())


def justifications_for(delegation):
    return {f.key: "基准测试" for f in evaluation_for(delegation).findings}


def submit_waiban(clerk, delegation, justifications):
    from waiban.visits.workflow import delegation_submit

    delegation_submit(delegation=delegation, actor=clerk, justifications=justifications)


class RawSubmit:
    """The rows of one submission written with plain SQL (see the module docstring)."""

    LOCK = "SELECT state, deadline, version FROM visits_delegation WHERE id = %(id)s FOR UPDATE"
    NUMBER = (
        "INSERT INTO core_numbersequence (name, year, last_value) VALUES ('case', %(year)s, 1) "
        "ON CONFLICT (name, year) DO UPDATE SET last_value = core_numbersequence.last_value + 1 "
        "RETURNING last_value"
    )
    DELEGATION = (
        "UPDATE visits_delegation SET state = 'pre_review', version = version + 1, "
        "case_number = %(case)s, submitted_at = %(now)s, state_entered_at = %(now)s, "
        "deadline = %(deadline)s, updated_at = %(now)s WHERE id = %(id)s"
    )
    SNAPSHOT = (
        "UPDATE visits_delegationmember m SET post_at_submission = p.post, "
        "rank_at_submission = p.rank FROM people_person p "
        "WHERE p.id = m.person_id AND m.delegation_id = %(id)s"
    )
    EVENT = (
        "INSERT INTO visits_delegationevent (delegation_id, at, actor_id, action, from_state, "
        "to_state, comment, deadline) VALUES (%(id)s, %(now)s, %(actor)s, 'submit', 'draft', "
        "'pre_review', '', %(deadline)s)"
    )
    AUDIT = (
        "INSERT INTO core_auditevent (at, actor_id, action, object_type, object_id, "
        "object_repr, old_values, new_values, ip, user_agent) VALUES (%(now)s, %(actor)s, "
        "'delegation.submit', 'visits.delegation', %(id)s, %(repr)s, %(old)s, %(new)s, NULL, '')"
    )
    FINDING_COLUMNS = (
        "delegation_id, round, rule, key, severity, message_key, params, data, message, "
        "rule_version_id, rule_params, rule_source, justification, created_by_id, created_at"
    )

    def __init__(self, *, clerk, sample, justifications):
        from django.utils import timezone

        from waiban.rules.models import Severity
        from waiban.visits.deadlines import deadline_for
        from waiban.visits.states import State
        from waiban.visits.workflow import _rules_audit

        evaluation = evaluation_for(sample)
        self.actor = clerk.pk
        self.deadline = deadline_for(
            authority=sample.authority_id,
            state=State.PRE_REVIEW,
            start=timezone.localdate(),
        )
        self.rules_audit = _rules_audit(evaluation, justifications)
        self.findings = [
            (
                1,  # round: the first submission
                f.code,
                f.key,
                f.severity,
                f.message_key,
                json.dumps(f.params, ensure_ascii=False),
                json.dumps(f.data, ensure_ascii=False),
                f.message,
                f.version.version_id,
                json.dumps(f.version.params, ensure_ascii=False),
                f.version.source,
                (justifications.get(f.key) or "").strip() if f.severity == Severity.WARN else "",
            )
            for f in evaluation.findings
        ]
        rows = ", ".join(["(%s" + ", %s" * 14 + ")"] * len(self.findings))
        self.insert_findings = f"INSERT INTO rules_finding ({self.FINDING_COLUMNS}) VALUES {rows}"
        # BEGIN, the statements of run(), COMMIT
        self.statements = 2 + 6 + (1 if self.findings else 0)

    def run(self, connection, delegation):
        from django.utils import timezone

        now = timezone.now()
        year = timezone.localdate(now).year
        params = {"id": delegation.pk, "actor": self.actor, "now": now, "year": year}
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute(self.LOCK, params)
            state, deadline, version = cursor.fetchone()
            cursor.execute(self.NUMBER, params)
            case = f"{year}-{cursor.fetchone()[0]:07d}"
            params.update(case=case, deadline=self.deadline)
            cursor.execute(self.DELEGATION, params)
            cursor.execute(self.SNAPSHOT, params)
            cursor.execute(self.EVENT, params)
            old = {"state": state, "deadline": deadline, "version": version}
            new = {"state": "pre_review", "deadline": self.deadline, "version": version + 1}
            params.update(
                repr=f"{case} {delegation.title}"[:255],
                old=json.dumps(old, default=str),
                new=json.dumps(
                    {**new, "case_number": case, **self.rules_audit},
                    default=str,
                    ensure_ascii=False,
                ),
            )
            cursor.execute(self.AUDIT, params)
            if self.findings:
                values = []
                for row in self.findings:
                    values += [delegation.pk, *row, self.actor, now]
                cursor.execute(self.insert_findings, values)


def rows_written(ids) -> dict:
    """What the submissions of these drafts wrote, per draft, table by table."""
    from django.db.models import Q

    from waiban.core.models import AuditEvent
    from waiban.rules.models import Finding
    from waiban.visits.models import Delegation, DelegationEvent, DelegationMember
    from waiban.watchlists.models import ScreeningHit

    ids = list(ids)
    hits = ScreeningHit.objects.filter(delegation_id__in=ids)
    counts = {
        "submitted (case number)": Delegation.objects.filter(
            pk__in=ids, state="pre_review", case_number__isnull=False
        ).count(),
        "history rows": DelegationEvent.objects.filter(
            delegation_id__in=ids, action="submit"
        ).count(),
        "audit events": AuditEvent.objects.filter(
            Q(object_type="visits.delegation", object_id__in=[str(i) for i in ids])
            | Q(
                object_type="watchlists.screeninghit",
                object_id__in=[str(pk) for pk in hits.values_list("pk", flat=True)],
            )
        ).count(),
        "rule findings": Finding.objects.filter(delegation_id__in=ids).count(),
        "control-list hits": hits.count(),
        "members snapshotted": DelegationMember.objects.filter(delegation_id__in=ids)
        .exclude(rank_at_submission="")
        .count(),
    }
    return {name: n / len(ids) for name, n in counts.items()}


def run(count=60):
    import os

    import psycopg
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clerk, drafts = prepare(count * 2 + 3)
    warm, raw_warm, counted = drafts[0], drafts[1], drafts[2]
    ours, theirs = drafts[3::2], drafts[4::2]
    justifications = justifications_for(warm)
    raw = RawSubmit(clerk=clerk, sample=warm, justifications=justifications)
    submit_waiban(clerk, warm, justifications)
    timings = {"waiban": [], "raw": []}
    with psycopg.connect(os.environ["DATABASE_URL"]) as raw_connection:
        raw.run(raw_connection, raw_warm)
        for mine, other in zip(ours, theirs, strict=True):
            started = time.perf_counter()
            submit_waiban(clerk, mine, justifications)
            timings["waiban"].append(time.perf_counter() - started)
            started = time.perf_counter()
            raw.run(raw_connection, other)
            timings["raw"].append(time.perf_counter() - started)
    connection.queries_log.clear()  # it keeps 9,000: once full, a capture sees nothing
    with CaptureQueriesContext(connection) as captured:
        submit_waiban(clerk, counted, justifications)
    waiban = _summary(timings["waiban"], len(captured))
    theirs_summary = _summary(timings["raw"], raw.statements)
    waiban["rows_per_submit"] = rows_written(d.pk for d in ours)
    theirs_summary["rows_per_submit"] = rows_written(d.pk for d in theirs)
    if waiban["rows_per_submit"] != theirs_summary["rows_per_submit"]:
        raise AssertionError(
            "the raw loop did not write the rows Waiban wrote: "
            f"{waiban['rows_per_submit']} vs {theirs_summary['rows_per_submit']}"
        )
    return {
        "waiban": waiban,
        "raw": theirs_summary,
        "throughput_ratio": waiban["rps"] / theirs_summary["rps"],
        "p95_ratio": waiban["p95_ms"] / theirs_summary["p95_ms"],
        "ratio": f"{waiban['rps'] / theirs_summary['rps']:.0%} rps, "
        f"{waiban['p95_ms'] / theirs_summary['p95_ms']:.1f}x p95",
    }
