"""Benchmark, not a test: the trip-report library's search and the data cage's yearly scan.

Loads N accepted reports (bulk; the FTS5 triggers or the pg_trgm index keep up), then prints
p50/p95 of ``library_search`` (one page of results, the total and the four facets) for 2-, 3-
and 4-character queries and a traditional-character one, next to the raw SQL of the same page
query and of the same count; then the time of ``anomalies_scan`` over one year of those trips.
Runs on a throw-away test database: PostgreSQL when DATABASE_URL points at one, in-memory
SQLite otherwise.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waiban \\
        .venv/bin/python bench/library_bench.py [--reports 100000] [--runs 30]
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waiban.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

PLACES = ["柏林", "巴黎", "慕尼黑", "巴伐利亚州", "东京", "首尔", "曼谷", "河内", "悉尼", "开普敦"]
COUNTRIES = ["DE", "FR", "JP", "KR", "TH", "VN", "AU", "ZA", "GB", "US"]
WORDS = "经贸合作考察交流培训研修会谈签署备忘录项目对接产业园区人才科研教育农业卫生文化旅游"
QUERIES = ["园区", "伐利", "巴伐利亚", "經貿", "人才培养", "项目对接 柏林"]


def text(rng, n):
    return "".join(rng.choice(WORDS) for _ in range(n))


def load(count, rng):
    from waiban.accounts.roles import Role
    from waiban.reports.models import ReportCountry, TripReport
    from waiban.reports.search import normalise
    from waiban.testing.factories import UnitFactory, UserFactory
    from waiban.visits.models import Delegation

    units = [UnitFactory() for _ in range(20)]
    clerk = UserFactory(role=Role.UNIT_CLERK, unit=units[0])
    now = timezone.now()
    batch = 5000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        cases = []
        for i in range(size):
            unit = units[(start + i) % len(units)]
            back = dt.date(2020 + (start + i) % 7, 1 + (start + i) % 12, 1 + (start + i) % 28)
            cases.append(
                Delegation(
                    title=f"赴{rng.choice(PLACES)}{text(rng, 4)}团",
                    task_type=rng.choice(["business_talks", "training", "study"]),
                    purpose=text(rng, 20),
                    unit=unit,
                    authority_id=unit.authority_id,
                    created_by=clerk,
                    state="closed",
                    departure_date=back - dt.timedelta(days=6),
                    return_date=back,
                )
            )
        cases = Delegation.objects.bulk_create(cases)
        reports = []
        for case in cases:
            place = rng.choice(PLACES)
            title = f"{case.title}出访报告"
            results = f"在{place}{text(rng, 120)}"
            reports.append(
                TripReport(
                    delegation=case,
                    unit_id=case.unit_id,
                    authority_id=case.authority_id,
                    task_type=case.task_type,
                    year=case.return_date.year,
                    state="accepted",
                    due_date=case.return_date,
                    title=title,
                    purpose=case.purpose,
                    counterparts=text(rng, 30),
                    results=results,
                    published=rng.random() < 0.9,
                    accepted_at=now,
                    created_by=clerk,
                    search_text=normalise(f"{title}\n{case.purpose}\n{results}"),
                )
            )
        reports = TripReport.objects.bulk_create(reports)
        ReportCountry.objects.bulk_create(
            ReportCountry(report=r, country=rng.choice(COUNTRIES)) for r in reports
        )
    return UserFactory(role=Role.UNIT_CLERK, unit=units[1])


def timed(function, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1 if len(times) > 1 else 0]


def raw_page(term):
    """The same page and count as library_search's, by hand: what the database itself costs."""
    from waiban.reports.search import FTS_TABLE, normalise

    term = normalise(term).split()[0]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and len(term) >= 3:
            match = f"id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
            param = f'"{term}"'
        else:
            match, param = "search_text LIKE %s", f"%{term}%"
        where = f"state = 'accepted' AND published AND {match}"
        cursor.execute(
            f"SELECT id, title FROM reports_tripreport WHERE {where} "
            "ORDER BY accepted_at DESC, id DESC LIMIT 20",
            [param],
        )
        cursor.fetchall()
        cursor.execute(f"SELECT COUNT(*) FROM reports_tripreport WHERE {where}", [param])
        cursor.fetchall()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


def run(args):
    from waiban.reports.cage import anomalies_scan
    from waiban.reports.selectors import library_search

    rng = random.Random(16)
    print(f"database: {connection.vendor}, {args.reports} reports")
    started = time.perf_counter()
    reader = load(args.reports, rng)
    print(f"loaded in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reports_tripreport")
    print(f"{'query':<14}{'app p50':>9}{'app p95':>9}{'raw p50':>9}{'raw p95':>9}{'ratio':>7}")
    for query in QUERIES:
        app = timed(lambda q=query: library_search(user=reader, query=q), args.runs)
        raw = timed(lambda q=query: raw_page(q), args.runs)
        ratio = app[1] / raw[1] if raw[1] else 0
        print(f"{query:<14}{app[0]:>9.1f}{app[1]:>9.1f}{raw[0]:>9.1f}{raw[1]:>9.1f}{ratio:>7.1f}")
    started = time.perf_counter()
    counts = anomalies_scan(year=2023, today=dt.date(2026, 12, 1))
    print(f"anomaly scan of 2023: {time.perf_counter() - started:.1f} s, {counts}")


if __name__ == "__main__":
    main()
