"""Waiban served as in production, side by side with the raw limit (``make bench``).

1. Makes sure DATABASE_URL (default: the waiban_scale database on 127.0.0.1:5432) holds at
   least 1,000,000 delegations, 500,000 people and 2,000 units: creates the database,
   migrates, and loads them with ``seed_demo --delegations 1000000`` only when it is empty
   (about 11 minutes); VACUUM ANALYZE.
2. collectstatic, then gunicorn (same worker count for both, DEBUG off, connection pool on,
   WAIBAN_STATIC_MANIFEST=1) for Waiban and for bench/raw_app.py on two loopback ports.
3. For each endpoint, the statements the Waiban page runs when none of its case data is cached
   (the "pages" cache empty; reference data such as the authority tree stays cached, as any app
   would keep it) are captured in process (test client, same user and URL); bench/raw_app.py
   replays exactly those, so the raw side does the same database work with the same plans.
   Waiban's SQL/req is what it runs once warm (cached renderings skip some); the raw's is the
   count it replays. Waiban uses a shared Redis cache, as with several workers in production.
   Then wrk from a separate process (warm-up, then ROUNDS rounds of SECONDS seconds each,
   fixed connections, Waiban and raw in turns round by round), the median round reported.
4. The write path (submitting a delegation) as a Python loop: the service call against the
   same rows written raw (see bench/write_bench.py).
5. EXPLAIN of every list query (bench/list_plans.py): no sequential scan on the big tables.
6. Stops everything it started (also on Ctrl+C), prints one table and writes it as JSON to
   bench/results/<timestamp>.json.
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
# As in production with several workers: one shared cache, in Redis databases of the bench's
# own (7 and 8), emptied at the start of each run. See shared_cache().
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


def wrk(url, *, seconds, connections, cookie=""):
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
        str(ROOT / "bench" / "wrk_report.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
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


def measure(urls, *, rounds, seconds, connections, cookie):
    """Each URL warmed up, then measured in turns, round by round (Waiban, raw, Waiban,
    raw, ...): a shared machine that slows down for a while slows both sides alike. The
    median round of each."""
    for url in urls:
        wrk(url, seconds=2, connections=connections, cookie=cookie)
    runs = {url: [] for url in urls}
    for _ in range(rounds):
        for url in urls:
            runs[url].append(wrk(url, seconds=seconds, connections=connections, cookie=cookie))
    return [_summary(runs[url]) for url in urls]


def sessions():
    """Logged-in sessions of the demo users, as the login view would make them, with the
    CSRF cookie their browser got with the login form (without it, every page would draw a
    new secret and set the cookie again)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    from waiban.accounts.models import User

    cookies, stores = {}, []
    for username in ("clerk", "window"):
        user = User.objects.get(username=username)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        stores.append(store)
        cookies[username] = (
            user,
            f"sessionid={store.session_key}; {settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}",
        )
    return cookies, stores


def targets(cookies):
    """The endpoints, each as (Waiban URL, raw URL, user) with real rows of the scale data."""
    from django.db.models import Count

    from waiban.visits.models import Delegation

    window = cookies["window"][0]
    case = (
        Delegation.objects.filter(state="approved", unit__authority_id=window.authority_id)
        .exclude(case_number=None)
        .order_by("-id")
        .values_list("case_number", flat=True)
        .first()
    )
    unit = (
        Delegation.objects.filter(state="approved")
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("unit_id", flat=True)
        .first()
    )
    detail = (
        Delegation.objects.filter(state="pre_review", authority_id=window.authority_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return {
        "public progress query": (f"/progress/?case={case}", None),
        "staff worklist (50 rows)": (
            f"/delegations/workbench/?state=approved&unit={unit}&sort=deadline",
            "window",
        ),
        "case page": (f"/delegations/{detail}/", "window"),
        "clerk's delegation list": ("/delegations/", "clerk"),
    }


def capture(path, user):
    """What the page asks of the database: the statements it runs when none of its case data
    is cached (the "pages" cache empty; reference data such as the authority tree stays
    cached, as it would in any app), which the raw app replays; the number it runs once warm;
    and the size of its body."""
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    client.get(path)
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as cold:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as warm:
        response = client.get(path)
    return [q["sql"] for q in cold.captured_queries], len(warm), len(response.content)


def table(results):
    head = (
        f"{'endpoint':28} {'app':6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'SQL/req':>7} {'vs raw':>16}"
    )
    lines = [head, "-" * len(head)]
    for name, row in results.items():
        for app in ("waiban", "raw"):
            r = row[app]
            ratio = ""
            if app == "waiban":
                ratio = row["ratio"]
            lines.append(
                f"{name[:28]:28} {app:6} {r['rps']:>8.1f} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} "
                f"{r['p99_ms']:>8.2f} {r['queries']:>7} {ratio:>16}"
            )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--submits", type=int, default=200)
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

    from bench import list_plans, write_bench

    for cache in caches.all():
        cache.clear()
    cookies, stores = sessions()
    results = {}
    try:
        endpoints = {
            name: target
            for name, target in targets(cookies).items()
            if args.only.lower() in name.lower()
        }
        captured, slugs = {}, {}
        for name, (path, who) in endpoints.items():
            captured[name] = capture(path, cookies[who][0] if who else None)
            slugs[name] = re.sub(r"\W+", "-", name).strip("-")
        statements_file = ROOT / "bench" / "results" / "raw_statements.tmp"
        statements_file.parent.mkdir(exist_ok=True)
        statements_file.write_text(
            json.dumps({slugs[n]: c[0] for n, c in captured.items()}, ensure_ascii=False)
        )
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
        for name, (path, who) in endpoints.items():
            cookie = cookies[who][1] if who else ""
            statements, queries, size = captured[name]
            raw_path = f"/replay?page={slugs[name]}"
            raw_url = f"http://127.0.0.1:{RAW_PORT}{raw_path}&pad={size}"
            raw_queries = int(urllib.request.urlopen(raw_url).headers["X-Queries"])
            log(f"{name}: waiban {path} and raw {raw_path}, in turns")
            ours, raw = measure(
                [f"http://127.0.0.1:{WAIBAN_PORT}{path}", raw_url],
                rounds=args.rounds,
                seconds=args.seconds,
                connections=args.connections,
                cookie=cookie,
            )
            ours.update(queries=queries, cold_queries=len(statements), body_bytes=size)
            raw.update(queries=raw_queries)
            results[name] = {
                "waiban": ours,
                "raw": raw,
                "throughput_ratio": ours["rps"] / raw["rps"],
                "p95_ratio": ours["p95_ms"] / raw["p95_ms"],
                "ratio": f"{ours['rps'] / raw['rps']:.0%} rps, {ours['p95_ms'] / raw['p95_ms']:.1f}x p95",
            }
    finally:
        stop()
        for store in stores:
            store.delete()

    partial = bool(args.only)
    if not partial or "submit" in args.only.lower():
        log(f"write path: {args.submits} submits, service call vs raw writes of the same rows")
        results["submit a delegation (loop)"] = write_bench.run(count=args.submits)
    plan_status = 0
    if not partial or "explain" in args.only.lower():
        log("EXPLAIN of the list queries")
        plan_status = list_plans.main()

    printed = table(results)
    print()
    print(
        f"Waiban vs raw, {count:,} delegations, gunicorn {args.workers} sync workers each, "
        f"wrk -c {args.connections}, {args.rounds} x {args.seconds} s rounds in turns (median)"
    )
    print(printed)
    print("EXPLAIN: " + ("no sequential scan on the big tables" if plan_status == 0 else "FAILED"))
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
                "explain_ok": plan_status == 0,
                "results": results,
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
