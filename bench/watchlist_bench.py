"""Benchmark, not a test: screening against a 1,000,000-entry control list.

Prints the query count and p50/p95 time to screen a 6-person delegation, the plan of the
screening query, then the time to import a 100,000-entry list through the import service and to
re-screen every open case afterwards. Runs on a throw-away test database: PostgreSQL when
DATABASE_URL points at one (the numbers that matter), in-memory SQLite otherwise.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waiban \
        .venv/bin/python bench/watchlist_bench.py [--entries 1000000] [--import-rows 100000] \
        [--open-cases 1000] [--runs 200]
"""

import argparse
import csv
import datetime as dt
import io
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

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力国庆东海波宁"
TRADITIONAL = {"张": "張", "伟": "偉", "刘": "劉", "陈": "陳", "杨": "楊", "赵": "趙", "黄": "黃"}


def random_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def random_birth(rng):
    return dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))


def load_entries(control_list, list_import, count, rng):
    """``count`` entries written in bulk (COPY on PostgreSQL), keys computed per distinct name."""
    from waiban.core.crypto import blind_index
    from waiban.testing.ids import make_id_number
    from waiban.watchlists.models import ListEntry
    from waiban.watchlists.names import pinyin_key, with_birth, zh_key

    names = {}
    rows = []
    seen = set()
    for i in range(count):
        name = random_name(rng)
        if name not in names:
            names[name] = (zh_key(name), pinyin_key(name))
        birth = random_birth(rng)
        id_hash = blind_index(make_id_number(birth=birth, sex="M", rng=rng)) if i % 2 else ""
        if id_hash in seen:  # the generator repeats numbers now and then
            id_hash = ""
        seen.add(id_hash)
        identity = f"id:{id_hash}" if id_hash else f"nm:{i}"
        zh, py = (with_birth(k, birth) for k in names[name])
        rows.append((name, birth, id_hash, zh, py, identity))

    if connection.vendor == "postgresql":
        table = ListEntry._meta.db_table
        columns = (
            "control_list_id, name, birth_date, id_number_hash, zh_birth_key, pinyin_birth_key, "
            "identity, "
            "note, source, is_active, added_in_id, last_seen_in_id"
        )
        with connection.cursor() as cursor:
            with cursor.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for name, birth, id_hash, zh, py, identity in rows:
                    copy.write_row(
                        (
                            control_list.pk,
                            name,
                            birth,
                            id_hash,
                            zh,
                            py,
                            identity,
                            "",
                            "bench",
                            True,
                            list_import.pk,
                            list_import.pk,
                        )
                    )
            cursor.execute(f"ANALYZE {table}")
    else:
        ListEntry.objects.bulk_create(
            (
                ListEntry(
                    control_list=control_list,
                    name=name,
                    birth_date=birth,
                    id_number_hash=id_hash,
                    zh_birth_key=zh,
                    pinyin_birth_key=py,
                    identity=identity,
                    added_in=list_import,
                    last_seen_in=list_import,
                )
                for name, birth, id_hash, zh, py, identity in rows
            ),
            batch_size=5000,
        )


def make_people(unit, count, rng):
    from waiban.core.crypto import blind_index
    from waiban.people.models import Person
    from waiban.people.pinyin import suggest_pinyin
    from waiban.testing.ids import make_id_number

    people = []
    seen = set()
    while len(people) < count:
        name, birth = random_name(rng), random_birth(rng)
        number = make_id_number(birth=birth, sex="M", rng=rng)
        if number in seen:
            continue
        seen.add(number)
        surname, given = suggest_pinyin(name)
        people.append(
            Person(
                unit=unit,
                name_zh=name,
                surname_pinyin=surname,
                given_name_pinyin=given,
                sex="M",
                birth_date=birth,
                id_number=number,
                id_number_hash=blind_index(number),
                post="处长",
            )
        )
    return Person.objects.bulk_create(people, batch_size=2000)


def make_cases(unit, clerk, people, *, per_case=6, state="under_review"):
    from waiban.visits.models import Delegation, DelegationMember

    cases = Delegation.objects.bulk_create(
        [
            Delegation(
                title=f"bench {i}",
                task_type="business_talks",
                purpose="-",
                unit=unit,
                authority=unit.authority,
                created_by=clerk,
                state=state,
            )
            for i in range(len(people) // per_case)
        ],
        batch_size=2000,
    )
    DelegationMember.objects.bulk_create(
        [
            DelegationMember(delegation=case, person=person, role="member", position=j)
            for i, case in enumerate(cases)
            for j, person in enumerate(people[i * per_case : (i + 1) * per_case])
        ],
        batch_size=5000,
    )
    return cases


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--open-cases", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


def run(args):
    from waiban.accounts.roles import Role
    from waiban.testing.factories import UnitFactory, UserFactory
    from waiban.watchlists.importing import control_list_import
    from waiban.watchlists.models import ControlList, ListImport
    from waiban.watchlists.screening import screen_delegation, watchlist_rescreen

    rng = random.Random(20261123)
    print(f"database: {connection.vendor}")
    unit = UnitFactory()
    clerk = UserFactory(role=Role.UNIT_CLERK, unit=unit)
    reviewer = UserFactory(role=Role.REVIEWER, authority=unit.authority)

    control_list = ControlList.objects.create(
        authority=unit.authority, kind="not_allowed_to_exit", name="bench", created_by=reviewer
    )
    list_import = ListImport.objects.create(
        control_list=control_list,
        version=1,
        file_name="bench",
        file_sha256="0" * 64,
        imported_by=reviewer,
    )
    started = time.perf_counter()
    load_entries(control_list, list_import, args.entries, rng)
    print(f"loaded {args.entries:,} entries in {time.perf_counter() - started:.1f} s")

    # A 6-person delegation: one member on the list by ID number, one by a traditional-script
    # name with the same birth date, four unknown.
    people = make_people(unit, 6, rng)
    [delegation] = make_cases(unit, clerk, people)
    tainted, similar = people[0], people[1]
    traditional = "".join(TRADITIONAL.get(c, c) for c in similar.name_zh)
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["姓名", "出生日期", "身份证号"])
    writer.writerow([tainted.name_zh + "某", "", tainted.id_number])
    writer.writerow([traditional, similar.birth_date.isoformat(), ""])
    control_list_import(
        actor=reviewer,
        file=SimpleUploadedFile("plant.csv", rows.getvalue().encode()),
        kind="fugitive",
        name="planted",
        rescreen=False,
    )

    hits = screen_delegation(delegation=delegation)
    with CaptureQueriesContext(connection) as queries:
        screen_delegation(delegation=delegation)
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        screen_delegation(delegation=delegation)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"screen a 6-person delegation against {args.entries:,} entries: "
        f"{len(queries.captured_queries)} queries, p50 {statistics.median(timings):.2f} ms, "
        f"p95 {percentile(timings, 0.95):.2f} ms over {args.runs} runs; "
        f"hits: {sorted((h.kind, h.severity) for h in hits)}"
    )
    if connection.vendor == "postgresql":
        entry_query = queries.captured_queries[1]["sql"]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ANALYZE {entry_query}")
            print("plan of the entry query:")
            for (line,) in cursor.fetchall():
                print("   ", line)

    # Open cases, then a 100,000-entry list imported through the service, then re-screening.
    people = make_people(unit, args.open_cases * 6, rng)
    make_cases(unit, clerk, people)
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["姓名", "出生日期", "身份证号"])
    for i in range(args.import_rows):
        if i < 50:  # some of the open cases' travellers are on the new list
            person = people[i * 7 % len(people)]
            writer.writerow([person.name_zh, person.birth_date.isoformat(), ""])
            continue
        birth = random_birth(rng)
        writer.writerow([random_name(rng), birth.isoformat(), ""])
    content = rows.getvalue().encode()
    started = time.perf_counter()
    report = control_list_import(
        actor=reviewer,
        file=SimpleUploadedFile("big.csv", content),
        kind="other",
        name="big",
        rescreen=False,
    )
    imported = time.perf_counter() - started
    assert report.ok, (report.file_error, report.errors[:5])
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        new_hits = watchlist_rescreen(actor=reviewer)
        rescreened = time.perf_counter() - started
    print(
        f"import {args.import_rows:,} rows ({len(content) / 1048576:.1f} MB CSV): {imported:.1f} s "
        f"(added {report.list_import.added:,}, warnings {len(report.warnings)})"
    )
    print(
        f"re-screen {args.open_cases:,} open cases ({args.open_cases * 6:,} travellers) against "
        f"{args.entries + args.import_rows:,} entries: {rescreened:.2f} s, "
        f"{len(queries.captured_queries)} queries, {len(new_hits)} new hits"
    )


if __name__ == "__main__":
    main()
