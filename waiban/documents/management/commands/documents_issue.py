"""Issue the documents of approved cases that lack them, and the passport forms whose photo is
newer than their form (the catch-up of the outbox handlers, e.g. after a message failed for
good; the worker also runs it daily as the periodic job ``documents.issue_pending``).
Idempotent: cases whose documents all exist, and forms already up to date, are skipped."""

from django.core.management.base import BaseCommand

from waiban.documents.services import documents_issue_pending


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        self.stdout.write(f"{documents_issue_pending()} documents issued")
