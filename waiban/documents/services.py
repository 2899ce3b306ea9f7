"""Writes of the documents app: issue, re-issue, revoke, publish the trust bundle.

Issuing runs in the background worker, from an outbox message written with the approval
(``waiban.outbox``; handlers in ``waiban/documents/background.py``), and is idempotent: a kind
that already has a current (unrevoked) version is skipped, and the delegation row is locked so
two workers cannot both issue. A production request's passport application form follows its
photo the same way: issued after the accepted photo commits, a new version when it is replaced.
A change to the signers or revocations republishes the trust bundle the same way.
"""

import hashlib
import logging
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from waiban.accounts.roles import Role
from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.numbering import next_number
from waiban.documents import codec, keys, rendering, signing, trust
from waiban.documents.models import (
    Document,
    DocumentKind,
    DocumentRevocation,
    TrustBundleRelease,
)
from waiban.documents.passport_form import form_context
from waiban.documents.visa_note import note_context, note_facts, render_visa_note_docx
from waiban.outbox.services import outbox_add
from waiban.passports.models import Passport, ProductionRequest
from waiban.passports.states import ENDED_STATUSES
from waiban.visits.models import Delegation
from waiban.visits.moves import check_screening_cleared
from waiban.visits.states import AUTHORISED_STATES, State
from waiban.watchlists.selectors import case_needs_review

log = logging.getLogger(__name__)

KINDS = [DocumentKind.APPROVAL, DocumentKind.TASK_FORM]  # the delegation's own, on approval
NUMBER_PREFIX = {
    DocumentKind.APPROVAL: "外办批",
    DocumentKind.TASK_FORM: "外办任",
    DocumentKind.PASSPORT_FORM: "外办照",
    DocumentKind.VISA_NOTE: "外办签",
}
TEMPLATES = {
    DocumentKind.APPROVAL: "documents/pdf/approval.html",
    DocumentKind.TASK_FORM: "documents/pdf/task_form.html",
    DocumentKind.PASSPORT_FORM: "documents/pdf/passport_form.html",
    DocumentKind.VISA_NOTE: "documents/pdf/visa_note.html",
}
PHOTO_REPLACED = "the photo was replaced"
# Refusals of passport_form_issue that mean "no form is due", not a failure.
NOTHING_TO_ISSUE = {"not_approved", "request_cancelled", "photo_missing"}


def current_documents(delegation):
    """Every current document of the trip, its members' passport forms included."""
    return Document.objects.filter(delegation=delegation, revocation__isnull=True)


def _series(delegation, kind, request, batch=None):
    """The versions of one document: per delegation and kind, per production request, or per
    visa batch."""
    if request is not None:
        return Document.objects.filter(production_request=request)
    if batch is not None:
        return Document.objects.filter(visa_batch=batch)
    return Document.objects.filter(
        delegation=delegation, kind=kind, production_request=None, visa_batch=None
    )


def _new_number(delegation, kind, year) -> str:
    n = next_number(name=f"doc-{kind}-{delegation.authority.code}"[:32], year=year)
    return f"{NUMBER_PREFIX[kind]}〔{year}〕{n}号"


def _context(
    delegation,
    *,
    kind,
    number,
    version,
    issued_at,
    qr_text,
    facts,
    signer_kid,
    request=None,
    reissue_reason="",
    batch=None,
):
    countries = "、".join(signing.country_names_zh(facts.countries))
    days = (
        (delegation.return_date - delegation.departure_date).days + 1
        if delegation.return_date and delegation.departure_date
        else ""
    )
    context = {
        "delegation": delegation,
        "kind": kind,
        "kind_zh": signing.KIND_ZH[kind],
        "number": number,
        "version": version,
        "office": delegation.authority.name,
        "date_zh": rendering.chinese_date(timezone.localdate(issued_at)),
        "countries": countries,
        "days": days,
        "facts": facts,
        "qr_text": qr_text,
        "qr_svg": rendering.qr_svg(qr_text),
        "signer_kid": signer_kid,
        # A re-issue says on the paper why it replaces the previous version.
        "reissue_reason": reissue_reason,
    }
    if request is not None:
        context.update(form_context(request, facts=facts))
        return context
    if batch is not None:
        context.update(note_context(batch))
        return context
    members = list(delegation.members.select_related("person__unit"))
    member_rows = [
        [
            m.person.name_zh,
            m.person.pinyin_name,
            m.person.unit.name,
            f.post,
            signing.ROLE_ZH[m.role],
        ]
        for m, f in zip(members, facts.members, strict=True)
    ]
    form_rows = [
        ("团组名称", delegation.title),
        ("组团单位", delegation.unit.name),
        ("任务类型", delegation.get_task_type_display()),
        ("出访国家（地区）", countries),
        ("出访日期", f"{facts.departure} 至 {facts.return_date}（共{days}天）"),
        ("邀请单位", delegation.inviting_organisation or "—"),
        ("经费来源", delegation.get_funding_source_display()),
        ("预算（元）", f"{delegation.total_budget:,.2f}"),
        ("出访任务", delegation.purpose),
        ("案件编号", delegation.case_number or ""),
    ]
    context.update(
        member_rows=member_rows,
        form_rows=form_rows,
        stops=delegation.stops.all(),
        approval_opinion=_approval_opinion(delegation),
    )
    return context


def _approval_opinion(delegation) -> str:
    """The opinion of the last level that approved (what the approver wrote, not a stock
    "agreed"); "同意。" when none was written."""
    step = (
        delegation.approval_steps.filter(decision="approved")
        .exclude(opinion="")
        .order_by("-level")
        .first()
    )
    return step.opinion if step else "同意。"


def _issue_one(
    delegation, kind, *, actor, signer, number=None, request=None, reason="", batch=None
) -> Document:
    """Render, sign and store the next version of one document (of ``request`` for a form, of
    ``batch`` for a visa note; ``reason``: why a new version is issued)."""
    now = timezone.now()
    series = _series(delegation, kind, request, batch)
    version = (series.aggregate(v=Max("version"))["v"] or 0) + 1
    if number is None:
        previous = series.first()
        number = previous.number if previous else _new_number(delegation, kind, now.year)
    person = request.person if request is not None else None
    if batch is not None:
        facts = note_facts(batch, kind=kind)
    else:
        facts = signing.delegation_facts(delegation, kind=kind, person=person)
    claims = codec.Claims(
        issuer=delegation.authority.code,
        issued_at=int(now.timestamp()),
        expires_at=int(signing.expiry_for(delegation, now).timestamp()),
        document_id=codec.document_id(number, version),
        facts=facts,
    )
    qr_text = signing.sign_claims(claims, signer)
    with translation.override("zh-hans"):  # official papers are Chinese whatever the UI says
        context = _context(
            delegation,
            kind=kind,
            number=number,
            version=version,
            issued_at=now,
            qr_text=qr_text,
            facts=facts,
            signer_kid=signer.kid,
            request=request,
            reissue_reason=reason if version > 1 else "",
            batch=batch,
        )
    pdf = rendering.render_pdf(TEMPLATES[kind], context)
    stem = f"{delegation.case_number or delegation.pk}-{kind}-v{version}"
    if request is not None:
        stem = f"{delegation.case_number or delegation.pk}-{kind}-{request.pk}-v{version}"
    if batch is not None:
        stem = f"{delegation.case_number or delegation.pk}-{kind}-{batch.pk}-v{version}"
    document = Document(
        delegation=delegation,
        production_request=request,
        visa_batch=batch,
        kind=kind,
        issuer_code=delegation.authority.code,
        number=number,
        version=version,
        content_hash=hashlib.sha256(pdf).hexdigest(),
        signer_kid=signer.kid,
        qr_text=qr_text,
        issued_at=now,
        expires_at=claims.expires_at_dt(),
        issued_by=actor,
    )
    document.file.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    if kind == DocumentKind.TASK_FORM:
        docx = rendering.render_task_form_docx(context)
        document.editable_file.save(f"{stem}.docx", ContentFile(docx), save=False)
    if kind == DocumentKind.VISA_NOTE:
        docx = render_visa_note_docx(context)
        document.editable_file.save(f"{stem}.docx", ContentFile(docx), save=False)
    document.save()
    audit_record(
        actor=actor,
        action="documents.issue",
        obj=document,
        new={
            "number": number,
            "version": version,
            "kind": kind,
            "hash": document.content_hash,
            "production_request": request,
            "visa_batch": batch,
        },
    )
    return document


def _check_office_actor(actor, delegation):
    from waiban.visits.moves import can_see

    if actor is None:
        return  # the system (a command or the after-approval hook)
    if delegation.state == State.CANCELLED:
        return  # the unit cancelled the trip: the workflow checked who may, revocation follows
    if actor.role != Role.APPROVER or not can_see(actor, delegation):
        raise PermissionDenied("wrong_role", _("Only the office's approvers can do this."))


def documents_issue(*, delegation, actor=None) -> list[Document]:
    """Issue every document kind the approved delegation lacks. Re-running issues nothing."""
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if not locked.is_authorised:
            raise ServiceError("not_approved", _("Documents are issued for approved cases only."))
        # A hit found after the approval (a list imported later) holds the papers back.
        check_screening_cleared(locked, actor)
        have = set(current_documents(locked).values_list("kind", flat=True))
        missing = [k for k in KINDS if k not in have]
        if not missing:
            return []
        signer = keys.active_signer(actor=actor)
        return [_issue_one(locked, k, actor=actor, signer=signer) for k in missing]


def documents_issue_after_approval(*, delegation_id, actor_id=None) -> None:
    """The outbox handler of the final approval (topic ``documents.issue_after_approval``).
    A failure raises: the approval stands, and the outbox retries with back-off."""
    from waiban.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    delegation = Delegation.objects.get(pk=delegation_id)
    if not delegation.is_authorised or case_needs_review(delegation):
        # Cancelled before the worker got to it, or held back by a control-list hit: the
        # daily catch-up (documents_issue_pending) issues them once the hit is cleared.
        return
    documents_issue(delegation=delegation, actor=actor)


def documents_issue_pending() -> int:
    """Issue what approved cases and accepted photos still lack (the catch-up of the outbox
    handlers, e.g. after a message failed for good); the number of documents issued."""
    from django.db.models import Count, Q

    from waiban.documents.selectors import passport_forms_pending

    current = Q(
        documents__revocation__isnull=True,
        documents__production_request=None,
        documents__visa_batch=None,
    )
    pending = (
        Delegation.objects.filter(state__in=AUTHORISED_STATES)
        .annotate(current=Count("documents", filter=current))
        .filter(current__lt=len(KINDS))
    )
    count = 0
    for delegation in pending.iterator():
        if not case_needs_review(delegation):  # held back until its hit is cleared
            count += len(documents_issue(delegation=delegation))
    for request in passport_forms_pending().iterator():
        count += passport_form_issue(request=request) is not None
    return count


def trust_bundle_publish_later() -> None:
    """Republish the trust bundle once the current change commits (in the worker). Each change
    writes its own message; the handler publishes only while the bundle is out of date."""
    outbox_add(
        topic="documents.trust_bundle_publish", key=f"trust-bundle:{uuid.uuid4().hex}", payload={}
    )


def _revoke(document, *, actor, reason):
    DocumentRevocation.objects.create(document=document, by=actor, reason=reason[:200])
    audit_record(
        actor=actor,
        action="documents.revoke",
        obj=document,
        new={"number": document.number, "version": document.version, "reason": reason},
    )


def documents_reissue(*, delegation, actor, reason, by_workflow=False) -> list[Document]:
    """A change to an approved delegation: new versions (same numbers), old ones revoked; the
    reason is printed on the new versions. ``by_workflow``: the caller (an approved change
    request, waiban.changes) has already checked who may, and holds the case's lock."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Say why new versions are issued."), field="reason")
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if not by_workflow:
            _check_office_actor(actor, locked)
        if not locked.is_authorised:
            raise ServiceError("not_approved", _("Documents are issued for approved cases only."))
        signer = keys.active_signer(actor=actor)
        issued = []
        members = set(locked.members.values_list("person_id", flat=True))
        # The members' passport forms carry the trip's facts too: they follow the correction.
        for old in current_documents(locked).select_related(
            "production_request__person", "visa_batch__embassy"
        ):
            _revoke(old, actor=actor, reason=reason or "superseded")
            request = old.production_request
            if request is not None and request.person_id not in members:
                continue  # no longer on the trip: the form is revoked, not replaced
            issued.append(
                _issue_one(
                    locked,
                    old.kind,
                    actor=actor,
                    signer=signer,
                    number=old.number,
                    request=old.production_request,
                    reason=reason,
                    batch=old.visa_batch,
                )
            )
        trust_bundle_publish_later()
        return issued


def documents_revoke(*, delegation, actor, reason) -> int:
    """A cancelled delegation: every current document is revoked; the bundle is republished."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Give the reason for revoking."), field="reason")
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        _check_office_actor(actor, locked)
        revoked = 0
        for document in current_documents(locked):
            _revoke(document, actor=actor, reason=reason)
            revoked += 1
        trust_bundle_publish_later()
        return revoked


def passport_form_current(request) -> Document | None:
    return Document.objects.filter(production_request=request, revocation__isnull=True).first()


def _check_form_actor(actor, delegation, *, clerk_may=True):
    """The system, or whoever sees the case's passport forms: a passport officer of the office
    or (to issue, not to revoke) a clerk of the unit."""
    from waiban.documents.selectors import may_see_passport_forms

    if actor is None:
        return
    if not may_see_passport_forms(actor, delegation) or (
        actor.role == Role.UNIT_CLERK and not clerk_may
    ):
        raise PermissionDenied("wrong_role", _("Only the passport office can do this."))


def passport_form_issue(*, request, actor=None) -> Document | None:
    """Bring a production request's passport application form up to date with its photo.

    The first accepted photo issues version 1; a replaced photo issues the next version (same
    number) and revokes the old one, the trust bundle following on commit. With nothing new
    (the current form is newer than the photo) nothing is issued, so re-running is harmless.
    """
    with transaction.atomic():
        # Lock order as in documents_reissue (delegation first), then the request and the
        # passport, so a cancellation of the passport either sees this form or stops it.
        delegation = Delegation.objects.select_for_update().get(pk=request.delegation_id)
        locked = ProductionRequest.objects.select_for_update().get(pk=request.pk)
        passport = Passport.objects.select_for_update().get(pk=locked.passport_id)
        _check_form_actor(actor, delegation)
        if not delegation.is_authorised:
            raise ServiceError("not_approved", _("Documents are issued for approved cases only."))
        if passport.status in ENDED_STATUSES:
            raise ServiceError(
                "request_cancelled", _("The passport of this request was cancelled or lost.")
            )
        if not locked.photo or locked.photo_uploaded_at is None:
            raise ServiceError(
                "photo_missing", _("The form is issued once the member's photo is accepted.")
            )
        current = passport_form_current(locked)
        if current is not None and current.issued_at >= locked.photo_uploaded_at:
            return None
        signer = keys.active_signer(actor=actor)
        number = None
        if current is not None:
            _revoke(current, actor=actor, reason=PHOTO_REPLACED)
            number = current.number
            trust_bundle_publish_later()
        return _issue_one(
            delegation,
            DocumentKind.PASSPORT_FORM,
            actor=actor,
            signer=signer,
            number=number,
            request=locked,
        )


def passport_form_issue_after_photo(*, request_id, actor_id=None) -> None:
    """The outbox handler of an accepted photo (topic ``documents.passport_form_after_photo``).
    Like the approval's, a failure raises and is retried by the outbox; the photo stands."""
    from waiban.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    request = ProductionRequest.objects.filter(pk=request_id).first()
    if request is None:
        return
    try:
        passport_form_issue(request=request, actor=actor)
    except ServiceError as error:
        if error.code not in NOTHING_TO_ISSUE:
            raise
        log.info("no passport form for request %s: %s", request_id, error.code)


def passport_form_revoke(*, request, actor, reason) -> int:
    """The request's passport was cancelled or reported lost: its form is revoked in the same
    transaction as that change (the caller's); the trust bundle is republished on commit."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Give the reason for revoking."), field="reason")
    with transaction.atomic():
        _check_form_actor(actor, request.delegation, clerk_may=False)
        revoked = 0
        for document in Document.objects.filter(production_request=request, revocation=None):
            _revoke(document, actor=actor, reason=reason)
            revoked += 1
        if revoked:
            trust_bundle_publish_later()
        return revoked


def trust_bundle_publish() -> TrustBundleRelease:
    """Sign and store a new bundle: every signer the root certified and every revocation."""
    with transaction.atomic():
        root = keys.root_key()
        if root is None:
            raise ServiceError("root_missing", _("Create the office root key first."))
        last = TrustBundleRelease.objects.select_for_update().first()
        sequence = (last.sequence if last else 0) + 1
        revoked = {
            trust.revocation_key(d.issuer_code, d.document_id)
            for d in Document.objects.filter(revocation__isnull=False).only(
                "issuer_code", "number", "version"
            )
        }
        signers = [keys.certificate_of(k) for k in keys.trusted_signers()]
        now = timezone.now()
        data = trust.bundle_build(
            signers=signers,
            revoked=revoked,
            issued_at=int(now.timestamp()),
            sequence=sequence,
            issuer=keys.certificate_of(root).subject.rfc4514_string(),
            root_key=keys.private_key_of(root),
            root_cert=keys.certificate_of(root),
        )
        return TrustBundleRelease.objects.create(
            sequence=sequence,
            issued_at=now,
            data=data,
            signer_count=len(signers),
            revoked_count=len(revoked),
        )
