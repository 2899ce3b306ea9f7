"""Waiban served as in production, side by side with the raw limit (``make bench``).

1. Makes sure DATABASE_URL (default: the waiban_scale database on 127.0.0.1:5432) holds at
   least 1,000,000 delegations, 500,000 people and 2,000 units: creates the database,
   migrates, and loads them with ``seed_demo --delegations 1000000`` only when it is empty
   (about 11 minutes); VACUUM ANALYZE.
2. Cold mode, the headline: for each endpoint a set of distinct URLs (--urls, 500 by default),
   as real traffic asks: case pages of different cases the window clerk may see, worklists over
   different queue states, units, countries, sorts and cursors, clerks' lists of several units'
   clerks (each with their own session) over their state filters and cursors, progress queries
   of different case numbers. For each URL the statements the Waiban page runs are captured in
   process (test client, same user and URL; reference data such as the authority tree and the
   session come from the shared cache, as they do under gunicorn), and bench/raw_app.py replays
   that URL's own statements, so the raw side does the same database work with the same plans.
   wrk (bench/wrk_urls.lua) asks for the next URL of the list on every request, each round
   going on where the last one stopped: nothing is served twice in a row, and a URL comes back
   only after the whole list. A warm row per endpoint (one URL asked again and again) follows
   below the cold ones (--no-warm to skip it).
3. collectstatic, then gunicorn (same worker count for both, DEBUG off, connection pool on,
   WAIBAN_STATIC_MANIFEST=1) for Waiban and for bench/raw_app.py on two loopback ports; Waiban
   uses a shared Redis cache (reference data and sessions), as with several workers in
   production. wrk runs from a separate process (warm-up, then ROUNDS rounds of SECONDS
   seconds each, fixed connections, Waiban and raw in turns round by round), the median round
   reported.
4. The write path (submitting a delegation) as a Python loop: the service call against the
   same rows written raw (see bench/write_bench.py).
5. EXPLAIN of every list query (bench/list_plans.py): no sequential scan on the big tables.
6. Stops everything it started (also on Ctrl+C), prints one table with each target's verdict
   and writes it as JSON to bench/results/<timestamp>.json.
"""

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/waiban_scale"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waiban.settings")
os.environ["DJANGO_DEBUG"] = "0"
os.environ["WAIBAN_STATIC_MANIFEST"] = "1"
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
os.environ.setdefault("WAIBAN_LOG_LEVEL", "WARNING")
# As in production with several workers: one shared cache, in a Redis database of the bench's
# own (7), emptied at the start of each run. See shared_cache().
BENCH_REDIS_DB = 7
PRIVATE_REDIS_PORT = 6391

BIN = Path(sys.executable).parent
SCALE = 1_000_000
SCALE_PEOPLE, SCALE_UNITS = 500_000, 2_000
SCALE_ROWS = 5_000_000  # members and itinerary stops together
WAIBAN_PORT, RAW_PORT = 8701, 8702
started: list[subprocess.Popen] = []  # the two web servers
services: list[subprocess.Popen] = []  # a private Redis, stopped at the very end


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def manage(*args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def ensure_database():
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            log(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v", "0")
    with psycopg.connect(url, autocommit=True) as connection:

        def counts():
            return [
                connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("visits_delegation", "people_person", "accounts_unit")
            ]

        count, people, units = counts()
        if count < SCALE:
            if count:
                sys.exit(
                    f"{name} holds {count} delegations, fewer than {SCALE}: drop it or point "
                    "DATABASE_URL at an empty database, and run again"
                )
            log(f"loading {SCALE} delegations (seed_demo, about 11 minutes)")
            manage("seed_demo", "--delegations", str(SCALE))
            count, people, units = counts()
        members_and_stops = sum(
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("visits_delegationmember", "visits_itinerarystop")
        )
        if people < SCALE_PEOPLE or units < SCALE_UNITS or members_and_stops < SCALE_ROWS:
            sys.exit(
                f"{name} holds {people} people, {units} units and {members_and_stops} members "
                f"and stops (an older data set; the bench needs {SCALE_PEOPLE}, {SCALE_UNITS} "
                f"and {SCALE_ROWS}): drop it and run again"
            )
        # As autovacuum leaves a production table: statistics and the visibility map (without
        # it, PostgreSQL cannot answer a count from an index alone).
        log(f"{count} delegations in {name}; VACUUM ANALYZE")
        connection.execute("VACUUM ANALYZE")
    return count


def _redis_answers(port) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def shared_cache():
    """The Redis at 127.0.0.1:6379 when one answers; else a private one started for this run
    (and stopped with everything else); else none, and the run says so."""
    if "WAIBAN_CACHE_URL" in os.environ:
        return
    port = 6379
    if not _redis_answers(port):
        server = shutil.which("redis-server")
        if server is None:
            log("no Redis and no redis-server: each worker keeps its own cache (not production)")
            return
        port = PRIVATE_REDIS_PORT
        log(f"starting a private Redis on 127.0.0.1:{port}")
        services.append(
            subprocess.Popen(
                [
                    server,
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        for _ in range(50):
            if _redis_answers(port):
                break
            time.sleep(0.1)
    os.environ["WAIBAN_CACHE_URL"] = f"redis://127.0.0.1:{port}/{BENCH_REDIS_DB}"


def serve(name, port, app, workers, extra_env, chdir=ROOT):
    env = {**os.environ, **extra_env}
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            app,
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(chdir),
            "--log-level",
            "warning",
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,  # its own process group: stop() ends master and workers
    )
    started.append(process)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/nothing-here", timeout=1)
        except urllib.error.HTTPError:
            log(f"{name} up on :{port} ({workers} workers)")
            return process
        except OSError:
            time.sleep(0.2)
        if process.poll() is not None:
            break
    stop()
    sys.exit(f"{name} did not start")


def stop(*_, processes=started):
    while processes:
        process = processes.pop()
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)


def stop_all(*_):
    stop()
    stop(processes=services)


WRK_SCRIPT = ROOT / "bench" / "wrk_urls.lua"
NEXT_LINK = re.compile(rb'rel="next" href="([^"]+)"')
ENDPOINTS = (
    "public progress query",
    "staff worklist (50 rows)",
    "case page",
    "clerk's delegation list",
)
# Issue #11's targets, as ratios to the raw side in the same run (cold mode and the write loop).
TARGETS = {
    "public progress query": ("rps", 0.50),
    "staff worklist (50 rows)": ("p95", 3.0),
    "case page": ("p95", 4.0),
    "clerk's delegation list": ("p95", 3.0),
    "submit a delegation (loop)": ("p95", 5.0),
}


def wrk(base_url, urls_file, *, start, seconds, connections):
    """One wrk run cycling through the URLs of ``urls_file`` from position ``start``."""
    command = [
        "wrk",
        "-t",
        "1",
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
        base_url,
        "--",
        str(urls_file),
        str(start),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"WRK_JSON (\{.*\})", output)
    result = json.loads(found.group(1))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def _summary(runs):
    median = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
    return {
        "rps": median["rps"],
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p95_ms": statistics.median(r["p95_ms"] for r in runs),
        "p99_ms": statistics.median(r["p99_ms"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "rounds": runs,
    }


def measure(sides, *, rounds, seconds, connections):
    """``sides``: (base URL, file of URLs) each. Each warmed up, then measured in turns, round
    by round (Waiban, raw, Waiban, raw, ...): a shared machine that slows down for a while
    slows both sides alike. Each run goes on through its side's list where the previous one
    stopped. The median round of each."""
    position = [0] * len(sides)
    runs = [[] for _ in sides]

    def run(i, duration):
        base, urls = sides[i]
        result = wrk(base, urls, start=position[i], seconds=duration, connections=connections)
        position[i] += result["requests"] + connections  # and those cut off at the end
        return result

    for i in range(len(sides)):
        run(i, 2)
    for _ in range(rounds):
        for i in range(len(sides)):
            runs[i].append(run(i, seconds))
    return [_summary(r) for r in runs]


def sessions(usernames):
    """Logged-in sessions of these users, as the login view would make them, with the CSRF
    cookie their browser got with the login form (without it, every page would draw a new
    secret and set the cookie again): username -> (user, Cookie header)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    from waiban.accounts.models import User

    cookies, stores = {}, []
    for user in User.objects.filter(username__in=usernames):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        stores.append(store)
        cookies[user.username] = (
            user,
            f"sessionid={store.session_key}; {settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}",
        )
    return cookies, stores


def url_sets(n, rng):
    """For each endpoint, (path, username or None) for up to ``n`` distinct URLs of the scale
    data, in a shuffled order. For the lists these are first pages: capture_set() adds a
    following page (through the cursor of the "Next" link) to each while there is room."""
    from urllib.parse import urlencode

    from django.db.models import Count

    from waiban.accounts.models import User
    from waiban.accounts.roles import Role
    from waiban.visits.models import Delegation
    from waiban.visits.selectors import WORKBENCH_SORTS, delegation_scope
    from waiban.visits.states import State

    window = User.objects.get(username="window")
    sets = {}
    numbers = (
        Delegation.objects.exclude(case_number=None)
        .order_by("?")
        .values_list("case_number", flat=True)[:n]
    )
    sets["public progress query"] = [(f"/progress/?case={number}", None) for number in numbers]

    scope = delegation_scope(window)
    busiest = list(
        scope.values("unit_id").annotate(n=Count("id")).order_by("-n").values_list("unit_id")
    )
    units = [u for (u,) in busiest[:30]] + [
        u for (u,) in rng.sample(busiest, min(20, len(busiest)))
    ]
    states = [s for s in State.values if s != State.DRAFT]
    queues = set()
    for _ in range(20 * n):
        if len(queues) >= n:
            break
        query = {"state": rng.choice(["", *states])}
        if rng.random() < 0.5:
            query["unit"] = rng.choice(units)
        elif rng.random() < 0.2:
            query["country"] = rng.choice(["US", "DE", "JP", "GB", "FR", "AU", "SG"])
        elif not query["state"] and rng.random() < 0.2:
            query["overdue"] = "1"
        query["sort"] = rng.choice(list(WORKBENCH_SORTS))
        queues.add(urlencode({k: v for k, v in query.items() if v}))
    sets["staff worklist (50 rows)"] = [
        (f"/delegations/workbench/?{query}", "window")
        for query in rng.sample(sorted(queues), len(queues))
    ]

    ids = scope.order_by("?").values_list("id", flat=True)[:n]
    sets["case page"] = [(f"/delegations/{pk}/", "window") for pk in ids]

    # The clerks of the units with the most cases, each with their own session.
    unit_ids = [
        u
        for (u,) in Delegation.objects.values("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("unit_id")[:25]
    ]
    clerks = {}
    for username, unit_id in User.objects.filter(
        role=Role.UNIT_CLERK, is_active=True, unit_id__in=unit_ids
    ).values_list("username", "unit_id"):
        clerks.setdefault(unit_id, username)
    filters = ["", *State.values, "awaiting_commitment"]
    lists = [
        ("/delegations/" + (f"?state={state}" if state else ""), username)
        for username in clerks.values()
        for state in filters
    ]
    sets["clerk's delegation list"] = rng.sample(lists, len(lists))
    return sets


def capture(client, path):
    """What the page asks of the database, in process: the statements it runs (which the raw
    app replays), the size of its body, and the body."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The log keeps the last 9,000 queries only: once full, a capture would see none.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    statements = [q["sql"] for q in captured.captured_queries]
    assert statements, (path, "no SQL captured")
    return statements, len(response.content), response.content


def capture_set(entries, clients, limit):
    """Up to ``limit`` URLs, each with the SQL its page ran; a list's first page is followed
    by its next page (a cursor) while there is room."""
    import html

    pages = []
    for path, who in entries:
        for _ in range(2):
            if len(pages) >= limit:
                return pages
            statements, size, body = capture(clients[who], path)
            pages.append({"path": path, "user": who, "sql": statements, "pad": size})
            found = NEXT_LINK.search(body)
            if found is None:
                break
            path = path.split("?")[0] + html.unescape(found.group(1).decode())
    return pages


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the login page) is an error here


def check_served(url, cookie=""):
    """The page answers 200 (not a redirect to the login page); its X-Queries header."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as response:
        assert response.status == 200, (url, response.status)
        return response.headers.get("X-Queries")


def verdict(name, row):
    target = TARGETS.get(name)
    if target is None:
        return ""
    kind, limit = target
    if kind == "rps":
        ok = row["throughput_ratio"] >= limit
        return f">={limit:.0%} rps " + ("ok" if ok else "MISSED")
    ok = row["p95_ratio"] <= limit
    return f"<={limit:g}x p95 " + ("ok" if ok else "MISSED")


def table(sections):
    head = (
        f"{'endpoint':28} {'app':6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'SQL/req':>7} {'vs raw':>17} {'target':>16}"
    )
    lines = [head, "-" * len(head)]
    for title, results, judge in sections:
        if not results:
            continue
        lines.append(title)
        for name, row in results.items():
            for app in ("waiban", "raw"):
                r = row[app]
                ratio = row["ratio"] if app == "waiban" else ""
                target = verdict(name, row) if app == "waiban" and judge else ""
                queries = r["queries"]
                queries = f"{queries:.1f}" if isinstance(queries, float) else str(queries)
                lines.append(
                    f"{name[:28]:28} {app:6} {r['rps']:>8.1f} {r['p50_ms']:>8.2f} "
                    f"{r['p95_ms']:>8.2f} {r['p99_ms']:>8.2f} {queries:>7} {ratio:>17} "
                    f"{target:>16}"
                )
    return "\n".join(lines)


def _row(ours, raw):
    return {
        "waiban": ours,
        "raw": raw,
        "throughput_ratio": ours["rps"] / raw["rps"],
        "p95_ratio": ours["p95_ms"] / raw["p95_ms"],
        "ratio": f"{ours['rps'] / raw['rps']:.0%} rps, {ours['p95_ms'] / raw['p95_ms']:.1f}x p95",
    }


def main():
    import random
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--submits", type=int, default=200)
    parser.add_argument("--urls", type=int, default=500, help="distinct URLs per endpoint")
    parser.add_argument("--seed", type=int, default=11, help="picks the URLs")
    parser.add_argument(
        "--no-warm", action="store_true", help="skip the warm rows (one URL asked again and again)"
    )
    parser.add_argument(
        "--only",
        default="",
        help="measure only the endpoints whose name contains this text (a partial run: the "
        "write path and EXPLAIN run only with 'submit' and 'explain')",
    )
    args = parser.parse_args()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: (stop_all(), sys.exit(130)))

    shared_cache()
    count = ensure_database()
    log("collectstatic")
    manage("collectstatic", "--noinput", "-v", "0")

    import django

    django.setup()
    from django.core.cache import caches
    from django.test import Client

    from bench import list_plans, write_bench

    for cache in caches.all():
        cache.clear()
    names = [name for name in ENDPOINTS if args.only.lower() in name.lower()]
    work = Path(tempfile.mkdtemp(prefix="waiban-bench-"))
    stores = []
    cold, warm, url_counts = {}, {}, {}
    try:
        captured, slugs = {}, {}
        if names:
            log(f"picking {args.urls} distinct URLs per endpoint")
            sets = {n: s for n, s in url_sets(args.urls, random.Random(args.seed)).items()}
            users = {who for name in names for _, who in sets[name] if who}
            cookies, stores = sessions(users)
            clients = {None: Client()}
            for username in users:
                clients[username] = Client()
                clients[username].force_login(cookies[username][0])
        for name in names:
            started_at = time.perf_counter()
            captured[name] = capture_set(sets[name], clients, args.urls)
            slugs[name] = re.sub(r"\W+", "-", name).strip("-")
            url_counts[name] = len(captured[name])
            log(
                f"{name}: {len(captured[name])} URLs captured in "
                f"{time.perf_counter() - started_at:.0f} s"
            )
        # Nothing the capture drew is served from a cache to the first requests of the run.
        for cache in caches.all():
            cache.clear()
        statements_file = work / "raw_statements.json"
        statements_file.write_text(
            json.dumps(
                {
                    slugs[n]: [{"sql": p["sql"], "pad": p["pad"]} for p in c]
                    for n, c in captured.items()
                },
                ensure_ascii=False,
            )
        )
        files = {}
        for name, pages in captured.items():
            for mode, chosen in (("cold", pages), ("warm", pages[:1])):
                lines = {"waiban": [], "raw": []}
                for i, page in enumerate(chosen):
                    cookie = cookies[page["user"]][1] if page["user"] else ""
                    lines["waiban"].append(f"{page['path']}\t{cookie}")
                    lines["raw"].append(f"/replay?page={slugs[name]}&i={i}\t{cookie}")
                for app, text in lines.items():
                    path = work / f"{slugs[name]}-{mode}-{app}.urls"
                    path.write_text("\n".join(text) + "\n")
                    files[name, mode, app] = path
        if names:
            serve(
                "waiban",
                WAIBAN_PORT,
                "waiban.wsgi:application",
                args.workers,
                {"WAIBAN_DB_POOL": "1"},
            )
            serve(
                "raw",
                RAW_PORT,
                "raw_app:app",
                args.workers,
                {
                    "RAW_DATABASE_URL": os.environ["DATABASE_URL"],
                    "RAW_STATEMENTS": str(statements_file),
                },
                chdir=ROOT / "bench",
            )
        modes = [("cold", cold)] + ([] if args.no_warm else [("warm", warm)])
        for name in names:
            pages = captured[name]
            for i, page in enumerate(pages[:3]):  # the sessions work, the raw app has them
                cookie = cookies[page["user"]][1] if page["user"] else ""
                check_served(f"http://127.0.0.1:{WAIBAN_PORT}{page['path']}", cookie)
                replayed = check_served(
                    f"http://127.0.0.1:{RAW_PORT}/replay?page={slugs[name]}&i={i}"
                )
                assert int(replayed) == len(page["sql"]), (name, i, replayed)
            for mode, results in modes:
                chosen = pages if mode == "cold" else pages[:1]
                log(f"{name}, {mode}: {len(chosen)} URL(s), waiban and raw in turns")
                ours, raw = measure(
                    [
                        (f"http://127.0.0.1:{WAIBAN_PORT}", files[name, mode, "waiban"]),
                        (f"http://127.0.0.1:{RAW_PORT}", files[name, mode, "raw"]),
                    ],
                    rounds=args.rounds,
                    seconds=args.seconds,
                    connections=args.connections,
                )
                queries = float(statistics.mean(len(p["sql"]) for p in chosen))
                ours.update(
                    queries=queries,
                    urls=len(chosen),
                    body_bytes=statistics.mean(p["pad"] for p in chosen),
                )
                raw.update(queries=queries, urls=len(chosen))
                results[name] = _row(ours, raw)
    finally:
        stop()
        for store in stores:
            store.delete()
        shutil.rmtree(work, ignore_errors=True)

    partial = bool(args.only)
    written = {}
    if not partial or "submit" in args.only.lower():
        log(f"write path: {args.submits} submits, service call vs raw writes of the same rows")
        written["submit a delegation (loop)"] = write_bench.run(count=args.submits)
    plan_status = 0
    if not partial or "explain" in args.only.lower():
        log("EXPLAIN of the list queries")
        plan_status = list_plans.main()

    urls = min(url_counts.values(), default=0)
    printed = table(
        [
            (f"COLD: every request another URL ({urls}+ distinct per endpoint)", cold, True),
            ("WRITE: a Python loop, one draft per submit", written, True),
            ("warm: one URL asked again and again", warm, False),
        ]
    )
    missed = [
        name for name, row in {**cold, **written}.items() if verdict(name, row).endswith("MISSED")
    ]
    print()
    print(
        f"Waiban vs raw, {count:,} delegations, gunicorn {args.workers} sync workers each, "
        f"wrk -c {args.connections}, {args.rounds} x {args.seconds} s rounds in turns (median)"
    )
    print(printed)
    print("EXPLAIN: " + ("no sequential scan on the big tables" if plan_status == 0 else "FAILED"))
    print("targets: " + (f"missed by {', '.join(missed)}" if missed else "all met"))
    if partial:
        print(f"(a partial run: --only {args.only!r}; nothing written)")
        return plan_status
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(
        json.dumps(
            {
                "delegations": count,
                "workers": args.workers,
                "connections": args.connections,
                "rounds": args.rounds,
                "seconds": args.seconds,
                "urls": url_counts,
                "seed": args.seed,
                "explain_ok": plan_status == 0,
                "targets_missed": missed,
                "cold": cold,
                "warm": warm,
                "write": written,
                "table": printed,
            },
            indent=2,
            ensure_ascii=False,
            default=str,
        )
    )
    print(f"written to {path.relative_to(ROOT)}")
    return plan_status


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        stop_all()
