"""Reads of the documents app: a case's documents, the current trust bundle, verification."""

import datetime as dt
from functools import lru_cache

from django.db.models import Exists, OuterRef
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.documents import keys, trust
from waiban.documents.models import Document, DocumentRevocation, SigningKey, TrustBundleRelease
from waiban.passports.states import ENDED_STATUSES
from waiban.visits.selectors import delegation_get
from waiban.visits.states import AUTHORISED_STATES


def documents_for_delegation(*, delegation):
    """The case's own papers (the members' passport forms are on the passport pages, the visa
    notes on the visa pages)."""
    return (
        Document.objects.filter(delegation=delegation, production_request=None, visa_batch=None)
        .select_related("revocation", "issued_by")
        .order_by("kind", "-version")
    )


def may_see_passport_forms(user, delegation) -> bool:
    """A passport form holds a member's birth date and photo: only the passport officers of the
    office and the clerks of the member's unit see it (the pages that show it check the same)."""
    if user.role == Role.PASSPORT_OFFICER:
        return delegation.authority_id in visible_authority_ids(user)
    return user.role == Role.UNIT_CLERK and user.unit_id == delegation.unit_id


def may_see_visa_notes(user, delegation) -> bool:
    """A visa note lists the travellers' passport numbers: the visa officers of the office and
    the clerks of the unit."""
    if user.role == Role.VISA_OFFICER:
        return delegation.authority_id in visible_authority_ids(user)
    return user.role == Role.UNIT_CLERK and user.unit_id == delegation.unit_id


def document_for_user(*, user, pk) -> Document | None:
    """The same scoping as the case page: whoever may open the case may download its papers;
    a passport form, whoever may see the passport forms of the case."""
    document = Document.objects.filter(pk=pk).select_related("delegation").first()
    if document is None:
        return None
    if document.production_request_id is not None:
        return document if may_see_passport_forms(user, document.delegation) else None
    if document.visa_batch_id is not None:
        return document if may_see_visa_notes(user, document.delegation) else None
    if delegation_get(user=user, pk=document.delegation_id) is None:
        return None
    return document


def passport_forms_current(*, request_ids) -> dict[int, Document]:
    """The current (unrevoked) form of each production request that has one."""
    forms = Document.objects.filter(production_request_id__in=request_ids, revocation=None)
    return {d.production_request_id: d for d in forms}


def passport_forms_pending():
    """Production requests whose form is missing or older than the photo (a lost after-commit
    hook): their trip approved, their passport neither cancelled nor lost."""
    from waiban.passports.models import ProductionRequest

    up_to_date = Document.objects.filter(
        production_request=OuterRef("pk"),
        revocation=None,
        issued_at__gte=OuterRef("photo_uploaded_at"),
    )
    return (
        ProductionRequest.objects.filter(
            photo_uploaded_at__isnull=False, delegation__state__in=AUTHORISED_STATES
        )
        .exclude(photo="")
        .exclude(passport__status__in=ENDED_STATUSES)
        .exclude(Exists(up_to_date))
    )


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
