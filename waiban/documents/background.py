"""What the documents app does in the background (see ``waiban.outbox``): issuing after an
approval and after a photo, republishing the trust bundle, and a daily catch-up. Every handler
is idempotent: issuing skips what is current, publishing skips a bundle that is up to date."""

from waiban.documents import selectors, services
from waiban.outbox.registry import outbox_handler, periodic_job

outbox_handler("documents.issue_after_approval")(services.documents_issue_after_approval)
outbox_handler("documents.passport_form_after_photo")(services.passport_form_issue_after_photo)
periodic_job("documents.issue_pending", daily_at="04:00")(services.documents_issue_pending)


@outbox_handler("documents.trust_bundle_publish")
def trust_bundle_refresh() -> None:
    selectors.trust_bundle_current()  # publishes only when signers or revocations changed
