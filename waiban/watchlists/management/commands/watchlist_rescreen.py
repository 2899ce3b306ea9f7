"""Screen every case not yet closed against the control lists again and store new hits.

Imports run this themselves; the command is for a retry after a failure, or a nightly run.
Idempotent: a hit already stored (decided or not) is not stored twice.
"""

from django.core.management.base import BaseCommand

from waiban.watchlists.screening import watchlist_rescreen


class Command(BaseCommand):
    help = "Screen open cases against the control lists again; store new hits."

    def handle(self, *args, **options):
        hits = watchlist_rescreen()
        self.stdout.write(f"{len(hits)} new hit(s)")
