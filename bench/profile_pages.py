"""Where a page's time goes, in process, on the scale database (not part of ``make bench``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waiban_scale \\
        .venv/bin/python bench/profile_pages.py [--only case] [--urls 200] [--tree]

Asks for the same distinct URLs as the bench's cold mode (bench/web_bench.py's url_sets, same
seed) through Django's test client, with the bench's settings (DEBUG off, connection pool, the
shared Redis cache in database 7), after an untimed pass over a few of them. For each endpoint
it splits the time of a request into:

- SQL: the statements' execution as the database wrapper sees it (count and milliseconds);
  what runs while a template renders (a queryset evaluated late) is counted here too;
- templates: rendering, without the SQL run while rendering;
- view: the view's own Python (forms, rows, the ORM building its queries and its objects);
- outside the view: middleware (session, CSRF, locale, messages, auth), URL resolution, the
  test client's own request and response handling.

``--tree`` adds a profile of each endpoint (pyinstrument when installed, else cProfile's
functions with the most own time).
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waiban_scale")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waiban.settings")
os.environ["DJANGO_DEBUG"] = "0"
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
os.environ.setdefault("WAIBAN_CACHE_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("WAIBAN_DB_POOL", "1")
os.environ.setdefault("WAIBAN_LOG_LEVEL", "WARNING")


class Meter:
    """Counts SQL, template and view time for the requests that run while it is on."""

    def __init__(self):
        self.reset()
        self.template_depth = 0

    def reset(self):
        self.sql_ms = self.sql_in_templates_ms = self.template_ms = self.view_ms = 0.0
        self.sql_count = 0
        self.statements = {}  # the statement's text up to its first value -> [count, ms]

    def install(self):
        from django.core.handlers.base import BaseHandler
        from django.db import connection
        from django.template.backends.django import Template

        meter = self

        def sql(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                elapsed = (time.perf_counter() - started) * 1000
                meter.sql_ms += elapsed
                meter.sql_count += 1
                shape = re.split(r"[0-9'(]", sql, maxsplit=1)[0][:90]
                seen = meter.statements.setdefault(shape, [0, 0.0])
                seen[0] += 1
                seen[1] += elapsed
                if meter.template_depth:
                    meter.sql_in_templates_ms += elapsed

        connection.execute_wrappers.append(sql)
        render = Template.render

        def timed_render(self, *args, **kwargs):
            meter.template_depth += 1
            started = time.perf_counter()
            try:
                return render(self, *args, **kwargs)
            finally:
                meter.template_depth -= 1
                if not meter.template_depth:
                    meter.template_ms += (time.perf_counter() - started) * 1000

        Template.render = timed_render
        get_response = BaseHandler._get_response

        def timed_get_response(self, request):
            started = time.perf_counter()
            try:
                return get_response(self, request)
            finally:
                meter.view_ms += (time.perf_counter() - started) * 1000

        BaseHandler._get_response = timed_get_response


def profile_tree(run):
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(run)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return
    profiler = Profiler(interval=0.0005)
    profiler.start()
    run()
    profiler.stop()
    from pyinstrument.renderers import ConsoleRenderer

    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print("Functions with the most own time:")
    flat = ConsoleRenderer(flat=True, time="percent_of_total", unicode=True)
    print("\n".join(profiler.output(flat).splitlines()[:40]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="")
    parser.add_argument("--urls", type=int, default=200, help="distinct URLs per endpoint")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--tree", action="store_true")
    parser.add_argument("--sql", action="store_true", help="the statements' times, by shape")
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client

    from bench.web_bench import ENDPOINTS, url_sets

    sets = url_sets(args.urls, random.Random(args.seed))
    names = [name for name in ENDPOINTS if args.only.lower() in name.lower()]
    users = {who for name in names for _, who in sets[name] if who}
    from waiban.accounts.models import User

    clients = {None: Client()}
    for user in User.objects.filter(username__in=users):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    meter = Meter()
    meter.install()
    rows = []
    for name in names:
        urls = sets[name][: args.urls]
        for path, who in urls[:20]:  # untimed: templates loaded, caches filled
            clients[who].get(path)
        meter.reset()
        totals = []
        for path, who in urls:
            started = time.perf_counter()
            response = clients[who].get(path)
            totals.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        n = len(urls)
        if args.sql:
            print(f"\n{name}: ms per request, by statement (count per request)")
            for shape, (count, ms) in sorted(meter.statements.items(), key=lambda s: -s[1][1]):
                print(f"  {ms / n:7.2f} ({count / n:.1f})  {shape}")
        total = sum(totals) / n
        sql = meter.sql_ms / n
        template = (meter.template_ms - meter.sql_in_templates_ms) / n
        view = meter.view_ms / n - template - sql
        rows.append(
            (
                name,
                n,
                total,
                statistics.quantiles(totals, n=20)[-1],
                meter.sql_count / n,
                sql,
                template,
                view,
                total - meter.view_ms / n,
            )
        )
        if args.tree:
            print(f"\n=== {name}: profile of {n} requests ===")
            profile_tree(lambda urls=urls: [clients[who].get(path) for path, who in urls])
    head = (
        f"{'endpoint':26} {'URLs':>5} {'ms/req':>7} {'p95':>7} {'SQL n':>6} {'SQL ms':>7} "
        f"{'tpl ms':>7} {'view ms':>8} {'outside':>8}"
    )
    print(head)
    print("-" * len(head))
    for name, n, total, p95, count, sql, template, view, outside in rows:
        print(
            f"{name[:26]:26} {n:>5} {total:>7.2f} {p95:>7.2f} {count:>6.1f} {sql:>7.2f} "
            f"{template:>7.2f} {view:>8.2f} {outside:>8.2f}"
        )
    print(
        "ms per request: SQL = execution of the statements; tpl = rendering without its SQL; "
        "view = the view's own Python; outside = middleware, URL resolution, test client"
    )


if __name__ == "__main__":
    main()
