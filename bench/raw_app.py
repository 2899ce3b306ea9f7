"""The raw limit: a minimal WSGI app that runs the very SQL a Waiban page needs, and no more.

bench/web_bench.py builds, for each endpoint, a set of distinct URLs (different cases, queue
filters, units, clerks, cursors) and captures, per URL, the statements the Waiban page sends to
PostgreSQL for it (in process, with the test client, the same user and URL: the user, the rows,
the badges; reference data such as the authority tree and the session come from the shared
cache, as on the Waiban side). It writes them to the JSON file RAW_STATEMENTS names:
``{page: [{"sql": [statement, ...], "pad": bytes}, ...]}``, one entry per URL in the order of
the URL list. This app replays one entry per request, verbatim: no framework, no ORM, no
templates, a psycopg connection pool per worker; every statement executed and all its rows
fetched, the rows written out as an HTML table escaped by hand, padded to the size of that
URL's Waiban page. Statements are sent as text, never prepared on the server (as Waiban sends
them), so both sides do the same database work with the same plans, and the ratio between them
is the cost of everything else. bench/web_bench.py serves it with the same gunicorn and worker
count:

    RAW_DATABASE_URL=postgres://postgres@127.0.0.1:5432/waiban_scale \\
    RAW_STATEMENTS=/tmp/.../raw_statements.json \\
        .venv/bin/gunicorn -w 2 -b 127.0.0.1:8702 --chdir bench raw_app:app

One endpoint: /replay?page=<name>&i=<index of the URL>. The X-Queries header says how many
statements it ran.
"""

import html
import json
import os
from urllib.parse import parse_qs

from psycopg_pool import ConnectionPool

pool = ConnectionPool(
    os.environ.get("RAW_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waiban_scale"),
    min_size=2,
    max_size=4,
    kwargs={"prepare_threshold": None},  # as Django sends them: text, planned on every run
    open=True,
)
with open(os.environ.get("RAW_STATEMENTS", "raw_statements.json"), encoding="utf-8") as f:
    PAGES: dict[str, list[dict]] = json.load(f)


def _table(rows) -> str:
    return (
        "<table>"
        + "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
            for row in rows
        )
        + "</table>"
    )


def _entry(environ) -> dict | None:
    if environ.get("PATH_INFO") != "/replay":
        return None
    q = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    entries = PAGES.get(q.get("page", ""))
    index = q.get("i", "0")
    if entries is None or not index.isdigit() or int(index) >= len(entries):
        return None
    return entries[int(index)]


def app(environ, start_response):
    entry = _entry(environ)
    if entry is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    parts = []
    with pool.connection() as connection, connection.cursor() as cursor:
        for sql in entry["sql"]:
            cursor.execute(sql.encode())  # already bound, as Django's client-side cursor sent it
            parts.append(_table(cursor.fetchall()) if cursor.description else "")
    page = f"<!doctype html><html><body>{''.join(parts)}</body></html>"
    pad = entry["pad"] - len(page.encode())
    if pad > 0:
        page = page.replace("</body>", "<!--" + "x" * max(pad - 7, 0) + "--></body>")
    data = page.encode()
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(data))),
            ("X-Queries", str(len(entry["sql"]))),
        ],
    )
    return [data]
