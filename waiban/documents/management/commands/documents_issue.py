"""Issue the documents of approved cases that lack them (the retry of the after-approval hook).
Idempotent: cases whose documents all exist are skipped."""

from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from waiban.documents.services import KINDS, documents_issue
from waiban.visits.models import Delegation
from waiban.visits.states import State


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        pending = (
            Delegation.objects.filter(state=State.APPROVED)
            .annotate(current=Count("documents", filter=Q(documents__revocation__isnull=True)))
            .filter(current__lt=len(KINDS))
        )
        count = 0
        for delegation in pending.iterator():
            count += len(documents_issue(delegation=delegation))
        self.stdout.write(f"{count} documents issued")
