"""EXPLAIN every list query of the workbench and the clerk's list on the scale database.

Part of ``make bench``; also runs alone:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waiban_scale .venv/bin/python bench/list_plans.py

For each role, filter, sort and page position (first page, and a page deep in the largest
queue, reached through a cursor) it captures the SQL the page really runs, EXPLAINs it
(ANALYZE, so the timings are real) and fails when a plan reads one of the big tables
(delegations, members, stops, events) with a sequential scan. Exit status 1 on a failure.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waiban.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

BIG_TABLES = (
    "visits_delegation",
    "visits_delegationmember",
    "visits_itinerarystop",
    "visits_delegationevent",
)


def deep_cursor(client, url, pages):
    """Follow ``Next`` ``pages`` times; the URL of the last page reached."""
    import re

    for _ in range(pages):
        html = client.get(url).content.decode()
        found = re.search(r'rel="next" href="([^"]+)"', html)
        if not found:
            break
        url = url.split("?")[0] + found.group(1).replace("&amp;", "&")
    return url


def cases():
    from waiban.accounts.models import User
    from waiban.visits.models import Delegation

    busiest_unit = (
        Delegation.objects.filter(state="pre_review").values_list("unit_id", flat=True).first()
    )
    yield "window", "/delegations/workbench/", "workbench, my queue"
    yield "window", "/delegations/workbench/?state=approved", "workbench, approved"
    yield (
        "window",
        "/delegations/workbench/?state=approved&sort=-deadline",
        "workbench, approved, -deadline",
    )
    yield (
        "window",
        "/delegations/workbench/?state=approved&sort=submitted",
        "workbench, approved, submitted",
    )
    yield (
        "window",
        "/delegations/workbench/?state=approved&sort=-submitted",
        "workbench, approved, -submitted",
    )
    yield (
        "window",
        "/delegations/workbench/?state=withdrawn&sort=departure",
        "workbench, withdrawn, departure",
    )
    yield (
        "window",
        f"/delegations/workbench/?state=pre_review&unit={busiest_unit}",
        "workbench, state + unit",
    )
    for sort in ("-deadline", "submitted", "-submitted", "departure"):
        yield (
            "window",
            f"/delegations/workbench/?state=pre_review&unit={busiest_unit}&sort={sort}",
            f"workbench, state + unit, {sort}",
        )
    yield (
        "window",
        "/delegations/workbench/?state=approved&country=US",
        "workbench, approved, country",
    )
    yield "window", "/delegations/workbench/?overdue=1", "workbench, overdue"
    if User.objects.filter(username="reviewer").exists():
        yield "reviewer", "/delegations/workbench/", "workbench, reviewer's queue"
    if User.objects.filter(username="divhead").exists():
        yield "divhead", "/delegations/workbench/", "workbench, approver's queue"
    yield "clerk", "/delegations/", "clerk list"
    yield "clerk", "/delegations/?state=approved", "clerk list, approved"
    yield (
        "window",
        ("deep", "/delegations/workbench/?state=approved", 200),
        "workbench, approved, page 201",
    )
    yield "clerk", ("deep", "/delegations/?state=approved", 40), "clerk list, approved, page 41"


def main() -> int:
    from waiban.accounts.models import User

    failures = []
    clients = {}
    rows = []
    for username, url, label in cases():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        if isinstance(url, tuple):
            _, start, pages = url
            url = deep_cursor(client, start, pages)
        client.get(url)  # warm
        connection.queries_log.clear()  # it keeps 9,000: once full, a capture sees nothing
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        assert captured.captured_queries, (url, "no SQL captured")
        seq = []
        worst = 0.0
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or not any(
                t in sql for t in BIG_TABLES
            ):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql)
                plan = "\n".join(r[0] for r in cursor.fetchall())
            worst = max(worst, float(plan.rsplit("Execution Time:", 1)[1].split()[0]))
            for table in BIG_TABLES:
                if f"Seq Scan on {table}" in plan:
                    seq.append(table)
                    failures.append((label, sql, plan))
        rows.append((label, len(captured), elapsed, worst, ", ".join(seq) or "none"))
    print(f"{'list query':40} {'SQL':>4} {'page ms':>8} {'max SQL ms':>10}  seq scan on big tables")
    for label, n, elapsed, worst, seq in rows:
        print(f"{label:40} {n:>4} {elapsed:>8.1f} {worst:>10.2f}  {seq}")
    for label, sql, plan in failures:
        print(f"\n{label}: sequential scan\n{sql}\n{plan}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
