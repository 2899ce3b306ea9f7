"""Issue the documents of approved cases that lack them, and the passport forms whose photo is
newer than their form (the retry of the after-approval and after-photo hooks).
Idempotent: cases whose documents all exist, and forms already up to date, are skipped."""

from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from waiban.documents.selectors import passport_forms_pending
from waiban.documents.services import KINDS, documents_issue, passport_form_issue
from waiban.visits.models import Delegation
from waiban.visits.states import AUTHORISED_STATES


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        current = Q(documents__revocation__isnull=True, documents__production_request=None)
        pending = (
            Delegation.objects.filter(state__in=AUTHORISED_STATES)
            .annotate(current=Count("documents", filter=current))
            .filter(current__lt=len(KINDS))
        )
        count = 0
        for delegation in pending.iterator():
            count += len(documents_issue(delegation=delegation))
        for request in passport_forms_pending().iterator():
            count += passport_form_issue(request=request) is not None
        self.stdout.write(f"{count} documents issued")
