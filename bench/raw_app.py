"""The raw limit: a minimal WSGI app doing the same indexed queries as Waiban's pages.

No framework, no ORM, no templates: a psycopg connection pool per worker, the session look-up
the real pages do, the page's SQL (same filters, same keyset order, same indexes) and an HTML
body escaped by hand and padded to the size of Waiban's page (``pad=N``). bench/web_bench.py
serves it with the same gunicorn and worker count as Waiban:

    RAW_DATABASE_URL=postgres://postgres@127.0.0.1:5432/waiban_scale \\
        .venv/bin/gunicorn -w 2 -b 127.0.0.1:8702 --chdir bench raw_app:app

Endpoints: /progress?case=N, /worklist?state=S&unit=U, /case?id=N, /list?unit=U. Each answers
with the number of statements it ran in the X-Queries header.
"""

import html
import os
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from psycopg_pool import ConnectionPool

FAR_DATE = "9999-12-31"
pool = ConnectionPool(
    os.environ.get("RAW_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waiban_scale"),
    min_size=2,
    max_size=4,
    open=True,
)


def _session(cursor, environ):
    """The same indexed look-up Django's session middleware does (no decoding)."""
    cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    key = cookie["sessionid"].value if "sessionid" in cookie else ""
    cursor.execute(
        "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > now()",
        (key,),
    )
    return cursor.fetchone() is not None


def _rows(rows):
    return "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows
    )


def progress(cursor, q):
    cursor.execute(
        "SELECT d.id, d.case_number, d.title, d.state, u.name FROM visits_delegation d "
        "JOIN accounts_unit u ON u.id = d.unit_id WHERE d.case_number = %s",
        (q.get("case", ""),),
    )
    row = cursor.fetchone()
    if row is None:
        return 1, "<p>No case has this number.</p>"
    cursor.execute(
        "SELECT action, at, to_state FROM visits_delegationevent WHERE delegation_id = %s "
        "ORDER BY at, id",
        (row[0],),
    )
    return 2, f"<h1>{html.escape(row[1])}</h1><table>{_rows(cursor.fetchall())}</table>"


def _page_with_members(cursor, ids_sql, params):
    cursor.execute(
        "SELECT d.id, d.case_number, d.title, u.name, p.name_zh, d.departure_date, d.state, "
        "d.deadline FROM visits_delegation d JOIN accounts_unit u ON u.id = d.unit_id "
        f"LEFT JOIN people_person p ON p.id = d.leader_id WHERE d.id IN ({ids_sql}) "
        "ORDER BY COALESCE(d.deadline, %s::date), d.id",
        (*params, FAR_DATE),
    )
    rows = cursor.fetchall()
    cursor.execute(
        "SELECT delegation_id, count(*) FROM visits_delegationmember "
        "WHERE delegation_id = ANY(%s) GROUP BY delegation_id",
        ([r[0] for r in rows],),
    )
    counts = dict(cursor.fetchall())
    return [(*r, counts.get(r[0], 0)) for r in rows]


def worklist(cursor, q):
    """State + unit, sorted by deadline, 50 rows: the workbench's keyset query."""
    rows = _page_with_members(
        cursor,
        "SELECT id FROM visits_delegation WHERE state = %s AND unit_id = %s "
        "ORDER BY COALESCE(deadline, %s::date), id LIMIT 51",
        (q.get("state", "pre_review"), int(q.get("unit", "0")), FAR_DATE),
    )
    return 3, f"<table>{_rows(rows[:50])}</table>"


def clerk_list(cursor, q):
    cursor.execute(
        "SELECT d.id, d.case_number, d.title, p.name_zh, d.departure_date, d.state, d.deadline "
        "FROM visits_delegation d LEFT JOIN people_person p ON p.id = d.leader_id "
        "WHERE d.unit_id = %s ORDER BY d.created_at DESC, d.id DESC LIMIT 26",
        (int(q.get("unit", "0")),),
    )
    rows = cursor.fetchall()
    cursor.execute(
        "SELECT delegation_id, count(*) FROM visits_delegationmember "
        "WHERE delegation_id = ANY(%s) GROUP BY delegation_id",
        ([r[0] for r in rows],),
    )
    counts = dict(cursor.fetchall())
    return 2, f"<table>{_rows([(*r, counts.get(r[0], 0)) for r in rows[:25]])}</table>"


def case_page(cursor, q):
    pk = int(q.get("id", "0"))
    cursor.execute(
        "SELECT d.*, u.name, a.name FROM visits_delegation d "
        "JOIN accounts_unit u ON u.id = d.unit_id "
        "JOIN accounts_authority a ON a.id = d.authority_id WHERE d.id = %s",
        (pk,),
    )
    parts = [_rows(cursor.fetchall())]
    for sql in (
        "SELECT m.role, p.name_zh, p.post, p.rank FROM visits_delegationmember m "
        "JOIN people_person p ON p.id = m.person_id WHERE m.delegation_id = %s "
        "ORDER BY m.position, m.id",
        "SELECT country, city, arrival_date, departure_date FROM visits_itinerarystop "
        "WHERE delegation_id = %s ORDER BY position, arrival_date, id",
        "SELECT kind, amount FROM visits_budgetline WHERE delegation_id = %s ORDER BY id",
        "SELECT kind, original_name, size FROM visits_attachment WHERE delegation_id = %s "
        "ORDER BY kind, uploaded_at DESC",
        "SELECT action, at, from_state, to_state, comment FROM visits_delegationevent "
        "WHERE delegation_id = %s ORDER BY at, id",
        "SELECT level, position, decision FROM visits_approvalstep WHERE delegation_id = %s "
        "ORDER BY level",
    ):
        cursor.execute(sql, (pk,))
        parts.append(_rows(cursor.fetchall()))
    return 7, "<table>" + "</table><table>".join(parts) + "</table>"


ROUTES = {
    "/progress": (progress, False),
    "/worklist": (worklist, True),
    "/list": (clerk_list, True),
    "/case": (case_page, True),
}


def app(environ, start_response):
    route = ROUTES.get(environ.get("PATH_INFO", ""))
    if route is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    view, needs_session = route
    q = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    with pool.connection() as connection, connection.cursor() as cursor:
        queries = 0
        if needs_session:
            queries += 1
            if not _session(cursor, environ):
                start_response("302 Found", [("Location", "/login/")])
                return [b""]
        n, body = view(cursor, q)
        queries += n
    page = f"<!doctype html><html><body>{body}</body></html>"
    pad = int(q.get("pad", "0")) - len(page.encode())
    if pad > 0:
        page = page.replace("</body>", "<!--" + "x" * max(pad - 7, 0) + "--></body>")
    data = page.encode()
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(data))),
            ("X-Queries", str(queries)),
        ],
    )
    return [data]
