"""The visa note (照会) of a batch, issued, signed and QR-verifiable through the documents
machinery (waiban.documents): one series per batch, issued by the worker once the batch
commits, revoked when the batch is cancelled."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from waiban.core.errors import ServiceError
from waiban.documents import keys
from waiban.documents.models import Document, DocumentKind
from waiban.documents.services import _issue_one, _revoke, trust_bundle_publish_later
from waiban.outbox.registry import outbox_handler
from waiban.outbox.services import outbox_add
from waiban.visas.models import VisaBatch
from waiban.visas.states import BatchState
from waiban.visits.models import Delegation

log = logging.getLogger(__name__)
TOPIC = "visas.note_issue"


def visa_note_current(batch) -> Document | None:
    return Document.objects.filter(visa_batch=batch, revocation__isnull=True).first()


def visa_note_issue_later(*, batch, actor) -> None:
    """Inside the batch's transaction: the worker issues the note once it commits."""
    outbox_add(
        topic=TOPIC,
        key=f"{TOPIC}:{batch.pk}:{batch.version}",
        payload={"batch_id": batch.pk, "actor_id": getattr(actor, "pk", None)},
    )


def visa_note_issue(*, batch, actor=None) -> Document | None:
    """Issue the batch's note unless it has a current one (re-running issues nothing)."""
    with transaction.atomic():
        # Lock order as in documents_reissue: the delegation first, then the batch.
        delegation = Delegation.objects.select_for_update().get(pk=batch.delegation_id)
        locked = VisaBatch.objects.select_for_update().select_related("embassy").get(pk=batch.pk)
        if locked.state == BatchState.CANCELLED:
            raise ServiceError("batch_cancelled", _("The batch was cancelled."))
        if not delegation.is_authorised:
            raise ServiceError("not_approved", _("Documents are issued for approved cases only."))
        if visa_note_current(locked) is not None:
            return None
        signer = keys.active_signer(actor=actor)
        return _issue_one(
            delegation, DocumentKind.VISA_NOTE, actor=actor, signer=signer, batch=locked
        )


def visa_note_revoke(*, batch, actor, reason) -> int:
    """Inside the caller's transaction: every current note of the batch revoked."""
    revoked = 0
    for document in Document.objects.filter(visa_batch=batch, revocation=None):
        _revoke(document, actor=actor, reason=reason)
        revoked += 1
    if revoked:
        trust_bundle_publish_later()
    return revoked


@outbox_handler(TOPIC)
def visa_note_issue_after_create(*, batch_id, actor_id=None) -> None:
    from waiban.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    batch = VisaBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return
    try:
        visa_note_issue(batch=batch, actor=actor)
    except ServiceError as error:
        if error.code not in ("batch_cancelled", "not_approved"):
            raise
        log.info("no visa note for batch %s: %s", batch_id, error.code)
