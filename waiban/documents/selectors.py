"""Reads of the documents app: a case's documents, the current trust bundle, verification."""

import datetime as dt
from functools import lru_cache

from django.utils import timezone

from waiban.documents import keys, trust
from waiban.documents.models import Document, DocumentRevocation, SigningKey, TrustBundleRelease
from waiban.visits.selectors import delegation_get


def documents_for_delegation(*, delegation):
    return (
        Document.objects.filter(delegation=delegation)
        .select_related("revocation", "issued_by")
        .order_by("kind", "-version")
    )


def document_for_user(*, user, pk) -> Document | None:
    """The same scoping as the case page: whoever may open the case may download its papers."""
    document = Document.objects.filter(pk=pk).first()
    if document is None or delegation_get(user=user, pk=document.delegation_id) is None:
        return None
    return document


def trust_bundle_current() -> TrustBundleRelease | None:
    """The newest bundle; republished if keys or revocations changed since (self-healing when an
    after-commit publish was lost)."""
    from waiban.documents.services import trust_bundle_publish

    if keys.root_key() is None:
        return None
    release = TrustBundleRelease.objects.first()
    signers = SigningKey.objects.filter(role=SigningKey.Role.SIGNER).count()
    revoked = DocumentRevocation.objects.count()
    if release is None or (release.signer_count, release.revoked_count) != (signers, revoked):
        release = trust_bundle_publish()
    return release


@lru_cache(maxsize=8)
def _parsed(sequence: int, data: bytes, root_pem: str) -> trust.TrustBundle:
    return trust.bundle_parse(data, trust.load_root_public_key(root_pem.encode()))


def code_verify(text: str, *, now: dt.datetime | None = None) -> trust.Verdict:
    """Judge a QR text exactly as the offline verifier would, with the newest bundle."""
    release = trust_bundle_current()
    root = keys.root_key()
    if release is None or root is None:
        return trust.Verdict(trust.Status.UNKNOWN_SIGNER, "this office has no signing keys yet")
    bundle = _parsed(release.sequence, bytes(release.data), root.certificate)
    return trust.verify_code(text, bundle, now=now or timezone.now())
