"""Benchmark, not a test: the visa regime look-up and the visa needs of a 6-person, 3-country
case, next to the raw SQL of the same look-ups.

Prints p50/p95 of ``trip_visas`` (members, stops, passports, regime rows, embassies, lead
times, applications), its query count, and the same reads done as raw SQL through one cursor.
Runs on a throw-away test database: PostgreSQL when DATABASE_URL points at one, in-memory
SQLite otherwise.

    .venv/bin/python bench/visa_bench.py [--runs 300] [--batches 2000]
"""

import argparse
import datetime as dt
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
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RAW = [
    # The same reads as trip_visas, one statement each.
    "SELECT m.id, m.person_id, m.role, p.rank FROM visits_delegationmember m "
    "JOIN people_person p ON p.id = m.person_id WHERE m.delegation_id = %s",
    "SELECT country, arrival_date, departure_date FROM visits_itinerarystop WHERE delegation_id = %s",
    "SELECT person_id, kind FROM passports_passport WHERE person_id IN "
    "(SELECT person_id FROM visits_delegationmember WHERE delegation_id = %s) "
    "AND status IN ('applied','in_production','in_custody','lent_out','overdue')",
    "SELECT country, passport_kind, regime, max_stay_days, condition, valid_from, valid_to "
    "FROM visas_visaregime WHERE edition_id = (SELECT id FROM visas_regimeedition "
    "ORDER BY loaded_at DESC, id DESC LIMIT 1) AND country IN ('DE','TH','IE') "
    "AND passport_kind IN ('diplomatic','service','official_ordinary') AND %s > 0",
    "SELECT b.embassy_id, b.sent_on, b.back_on FROM visas_visabatch b "
    "JOIN visits_delegation d ON d.id = b.delegation_id WHERE d.authority_id = "
    "(SELECT authority_id FROM visits_delegation WHERE id = %s) AND b.state = 'back' "
    "AND b.embassy_id IN (SELECT id FROM visas_embassy WHERE country IN ('DE','IE')) "
    "ORDER BY b.back_on DESC, b.id DESC LIMIT 60",
    "SELECT a.id, a.member_id, a.result FROM visas_visaapplication a "
    "JOIN visas_visabatch b ON b.id = a.batch_id WHERE b.delegation_id = %s",
]


def timed(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--batches", type=int, default=2000, help="past batches (the history)")
    args = parser.parse_args()
    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


def run(args):
    from waiban.accounts.roles import Role
    from waiban.testing.factories import AuthorityFactory, UnitFactory, UserFactory
    from waiban.visas.models import Embassy, VisaBatch
    from waiban.visas.needs import trip_visas
    from waiban.visas.regimes import embassies_load, regime_edition_load
    from waiban.visas.tests.conftest import DATA, REGIMES_FILE, three_country_trip

    authority = AuthorityFactory(name="广西壮族自治区外事办公室")
    unit = UnitFactory(authority=authority)
    regime_edition_load(data=REGIMES_FILE.read_bytes())
    embassies_load(data=(DATA / "embassies.csv").read_bytes())
    officer = UserFactory(role=Role.VISA_OFFICER, authority=authority)
    case = three_country_trip(unit, members=6)
    # The office's history: past batches whose lead times are learnt (the heaviest read).
    embassies = list(Embassy.objects.filter(country__in=["DE", "IE"]))
    history = three_country_trip(unit, members=1)
    VisaBatch.objects.bulk_create(
        VisaBatch(
            delegation=history,
            embassy=embassies[i % len(embassies)],
            state="back",
            sent_on=dt.date(2025, 1, 1),
            back_on=dt.date(2025, 1, 10 + i % 20),
            created_by=officer,
        )
        for i in range(args.batches)
    )
    trip_visas(case)  # warm the reference cache, as on a running server
    with CaptureQueriesContext(connection) as captured:
        needs = trip_visas(case).needs
    p50, p95 = timed(lambda: trip_visas(case), args.runs)

    def raw():
        with connection.cursor() as cursor:
            for sql in RAW:
                cursor.execute(sql, [case.pk])
                cursor.fetchall()

    r50, r95 = timed(raw, args.runs)
    print(
        f"database: {connection.vendor}; 6 members × 3 countries = {len(needs)} needs; "
        f"{args.batches} past batches"
    )
    print(f"{'':28}{'p50 ms':>10}{'p95 ms':>10}{'queries':>10}")
    print(f"{'trip_visas (Django)':28}{p50:>10.2f}{p95:>10.2f}{len(captured):>10}")
    print(f"{'the same reads, raw SQL':28}{r50:>10.2f}{r95:>10.2f}{len(RAW):>10}")


if __name__ == "__main__":
    main()
