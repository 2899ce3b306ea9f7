"""The raw limit: a minimal WSGI app that runs the very SQL a Waiban page needs, and no more.

bench/web_bench.py captures, for each endpoint, the statements the Waiban page sends to
PostgreSQL when none of its case data is cached (in process, with the test client, the same
user and URL: the session look-up, the user, the rows, the badges; reference data such as the
authority tree stays cached, as any app would keep it) and writes them to the JSON file
RAW_STATEMENTS names. This app replays them verbatim: no framework, no ORM, no templates, a
psycopg connection pool per worker; every statement executed and all its rows fetched, the rows
written out as an HTML table escaped by hand, padded to the size of Waiban's page (``pad=N``).
So both sides do the same database work with the same plans, and the ratio between them is the
cost of everything else. bench/web_bench.py serves it with the same gunicorn and worker count:

    RAW_DATABASE_URL=postgres://postgres@127.0.0.1:5432/waiban_scale \\
    RAW_STATEMENTS=bench/results/raw_statements.tmp \\
        .venv/bin/gunicorn -w 2 -b 127.0.0.1:8702 --chdir bench raw_app:app

One endpoint: /replay?page=<name>&pad=<bytes>. The X-Queries header says how many statements
it ran.
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
    open=True,
)
with open(os.environ.get("RAW_STATEMENTS", "raw_statements.json"), encoding="utf-8") as f:
    PAGES: dict[str, list[str]] = json.load(f)


def _table(rows) -> str:
    return (
        "<table>"
        + "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
            for row in rows
        )
        + "</table>"
    )


def app(environ, start_response):
    q = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    statements = PAGES.get(q.get("page", "")) if environ.get("PATH_INFO") == "/replay" else None
    if statements is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    parts = []
    with pool.connection() as connection, connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql.encode())  # already bound, as Django's client-side cursor sent it
            parts.append(_table(cursor.fetchall()) if cursor.description else "")
    page = f"<!doctype html><html><body>{''.join(parts)}</body></html>"
    pad = int(q.get("pad", "0")) - len(page.encode())
    if pad > 0:
        page = page.replace("</body>", "<!--" + "x" * max(pad - 7, 0) + "--></body>")
    data = page.encode()
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(data))),
            ("X-Queries", str(len(statements))),
        ],
    )
    return [data]
