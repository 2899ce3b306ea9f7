"""Benchmark, not a test: every rule for a 6-person delegation against a country-sized history.

Reads the database DATABASE_URL points at (load it first with
``manage.py seed_demo --delegations 1000000``: about 3.5 million past person-trips); writes
nothing. Prints the number of queries of one evaluation (it must not grow with the history),
p50/p95 of the whole evaluation, and the p50 of the same SQL statements run raw on a cursor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waiban_scale \\
        .venv/bin/python bench/rules_at_scale.py [--runs 50]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waiban.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def pick_delegation():
    """A 6-person case whose members travel most: the worst case for the frequency rule."""
    from waiban.visits.models import Delegation

    return Delegation.objects.annotate(n=Count("members")).filter(n=6).order_by("-id").first()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    from waiban.rules.services import delegation_evaluate
    from waiban.visits.models import DelegationMember

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    delegation = pick_delegation()
    if delegation is None:
        sys.exit("no 6-person delegation: load the scale data first (see the docstring)")
    person_trips = DelegationMember.objects.count()
    today = timezone.localdate()
    delegation_evaluate(delegation=delegation, on=today)  # warm caches and connections

    timings = []
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            delegation_evaluate(delegation=delegation, on=today)
            timings.append(time.perf_counter() - started)
    statements = [q["sql"] for q in captured.captured_queries]

    raw = []
    with connection.cursor() as cursor:
        for _ in range(args.runs):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            raw.append(time.perf_counter() - started)

    print(f"database: {connection.vendor}, past person-trips: {person_trips:,}")
    print(f"delegation {delegation.pk} (6 members), {args.runs} runs")
    print(f"queries per evaluation: {len(statements)}")
    print(
        f"evaluation  p50 {1000 * statistics.median(timings):7.2f} ms   "
        f"p95 {1000 * percentile(timings, 0.95):7.2f} ms"
    )
    print(
        f"raw SQL     p50 {1000 * statistics.median(raw):7.2f} ms   "
        f"p95 {1000 * percentile(raw, 0.95):7.2f} ms   (the same statements on a cursor)"
    )


if __name__ == "__main__":
    main()
