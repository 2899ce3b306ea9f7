"""Benchmark, not a test: every rule for a 6-person delegation against a growing history.

The query count must stay the same whatever the history size (the members' past trips are one
query). Runs on a throw-away test database (in-memory SQLite unless DATABASE_URL says otherwise):

    .venv/bin/python bench/rules_bench.py [--sizes 100,1000,10000] [--runs 50]
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waiban.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def build_history(unit, clerk, people, count, rng, offset=0):
    from waiban.visits.models import Delegation, DelegationMember

    today = timezone.localdate()
    trips = []
    for i in range(offset, offset + count):
        returned = today - dt.timedelta(days=rng.randrange(1, 900))
        trips.append(
            Delegation(
                title=f"history {i}",
                task_type="business_talks",
                purpose="-",
                unit=unit,
                authority=unit.authority,
                created_by=clerk,
                state=rng.choice(["approved", "approved", "refused", "withdrawn"]),
                case_number=f"B{i:09d}",
                departure_date=returned - dt.timedelta(days=5),
                return_date=returned,
            )
        )
    Delegation.objects.bulk_create(trips, batch_size=2000)
    members = [
        DelegationMember(
            delegation=trip,
            person=rng.choice(people),
            role="member",
            rank_at_submission="bureau_deputy",
        )
        for trip in trips
    ]
    DelegationMember.objects.bulk_create(members, batch_size=2000, ignore_conflicts=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from waiban.accounts.roles import Role
    from waiban.people.models import Rank
    from waiban.rules.services import delegation_evaluate
    from waiban.testing.factories import DelegationFactory, PersonFactory, UnitFactory, UserFactory
    from waiban.visits.models import BudgetLine, DelegationMember

    rng = random.Random(7)
    unit = UnitFactory()
    clerk = UserFactory(role=Role.UNIT_CLERK, unit=unit)
    delegation = DelegationFactory(unit=unit, created_by=clerk, members=6)
    people = [m.person for m in delegation.members.all()]
    for person in people:
        person.rank = Rank.BUREAU_DEPUTY
        person.save()
    others = [PersonFactory(unit=unit) for _ in range(20)]
    BudgetLine.objects.filter(delegation=delegation).update(amount=Decimal("10000"))
    assert DelegationMember.objects.filter(delegation=delegation).count() == 6

    built = 0
    print(f"{'history':>8} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'findings':>9}")
    for size in [int(s) for s in args.sizes.split(",")]:
        build_history(unit, clerk, people + others, size - built, rng, offset=built)
        built = size
        today = timezone.localdate()
        with CaptureQueriesContext(connection) as queries:
            evaluation = delegation_evaluate(delegation=delegation, on=today)
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            delegation_evaluate(delegation=delegation, on=today)
            timings.append((time.perf_counter() - start) * 1000)
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        print(f"{size:>8} {len(queries):>8} {p50:>8.1f} {p95:>8.1f} {len(evaluation.findings):>9}")


if __name__ == "__main__":
    main()
