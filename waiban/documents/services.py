"""Writes of the documents app: issue, re-issue, revoke, publish the trust bundle.

Issuing runs after the approval commits (``transaction.on_commit``) and is idempotent: a kind
that already has a current (unrevoked) version is skipped, and the delegation row is locked so
two workers cannot both issue.
"""

import hashlib
import logging

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
from waiban.visits.models import Delegation
from waiban.visits.states import State

log = logging.getLogger(__name__)

KINDS = [DocumentKind.APPROVAL, DocumentKind.TASK_FORM]
NUMBER_PREFIX = {DocumentKind.APPROVAL: "外办批", DocumentKind.TASK_FORM: "外办任"}
TEMPLATES = {
    DocumentKind.APPROVAL: "documents/pdf/approval.html",
    DocumentKind.TASK_FORM: "documents/pdf/task_form.html",
}


def current_documents(delegation):
    return Document.objects.filter(delegation=delegation, revocation__isnull=True)


def _new_number(delegation, kind, year) -> str:
    n = next_number(name=f"doc-{kind}-{delegation.authority.code}"[:32], year=year)
    return f"{NUMBER_PREFIX[kind]}〔{year}〕{n}号"


def _context(delegation, *, kind, number, version, issued_at, qr_text, facts, signer_kid):
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
    countries = "、".join(signing.country_names_zh(facts.countries))
    days = (
        (delegation.return_date - delegation.departure_date).days + 1
        if delegation.return_date and delegation.departure_date
        else ""
    )
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
    return {
        "delegation": delegation,
        "kind": kind,
        "kind_zh": signing.KIND_ZH[kind],
        "number": number,
        "version": version,
        "office": delegation.authority.name,
        "date_zh": rendering.chinese_date(timezone.localdate(issued_at)),
        "countries": countries,
        "days": days,
        "member_rows": member_rows,
        "form_rows": form_rows,
        "stops": delegation.stops.all(),
        "facts": facts,
        "qr_text": qr_text,
        "qr_svg": rendering.qr_svg(qr_text),
        "signer_kid": signer_kid,
    }


def _issue_one(delegation, kind, *, actor, signer, number=None) -> Document:
    now = timezone.now()
    last = Document.objects.filter(delegation=delegation, kind=kind).aggregate(v=Max("version"))
    version = (last["v"] or 0) + 1
    if number is None:
        previous = Document.objects.filter(delegation=delegation, kind=kind).first()
        number = previous.number if previous else _new_number(delegation, kind, now.year)
    facts = signing.delegation_facts(delegation, kind=kind)
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
        )
    pdf = rendering.render_pdf(TEMPLATES[kind], context)
    stem = f"{delegation.case_number or delegation.pk}-{kind}-v{version}"
    document = Document(
        delegation=delegation,
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
    document.save()
    audit_record(
        actor=actor,
        action="documents.issue",
        obj=document,
        new={"number": number, "version": version, "kind": kind, "hash": document.content_hash},
    )
    return document


def _check_office_actor(actor, delegation):
    from waiban.visits.workflow import can_see

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
        if locked.state != State.APPROVED:
            raise ServiceError("not_approved", _("Documents are issued for approved cases only."))
        have = set(current_documents(locked).values_list("kind", flat=True))
        missing = [k for k in KINDS if k not in have]
        if not missing:
            return []
        signer = keys.active_signer(actor=actor)
        return [_issue_one(locked, k, actor=actor, signer=signer) for k in missing]


def documents_issue_after_approval(*, delegation_id, actor_id=None) -> None:
    """The on_commit hook of the final approval; logs and leaves the retry to
    ``manage.py documents_issue --pending`` rather than failing the approval."""
    from waiban.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    delegation = Delegation.objects.get(pk=delegation_id)
    if delegation.state != State.APPROVED:
        return  # cancelled before the hook ran (e.g. in one batch): nothing to issue
    try:
        documents_issue(delegation=delegation, actor=actor)
    except Exception:  # the approval stands; the documents are retried by the command
        log.exception("issuing documents for delegation %s failed", delegation_id)


def _revoke(document, *, actor, reason):
    DocumentRevocation.objects.create(document=document, by=actor, reason=reason[:200])
    audit_record(
        actor=actor,
        action="documents.revoke",
        obj=document,
        new={"number": document.number, "version": document.version, "reason": reason},
    )


def documents_reissue(*, delegation, actor, reason) -> list[Document]:
    """A change to an approved delegation: new versions (same numbers), old ones revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Say why new versions are issued."), field="reason")
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        _check_office_actor(actor, locked)
        if locked.state != State.APPROVED:
            raise ServiceError("not_approved", _("Documents are issued for approved cases only."))
        signer = keys.active_signer(actor=actor)
        issued = []
        for old in current_documents(locked).order_by("kind"):
            _revoke(old, actor=actor, reason=reason or "superseded")
            issued.append(
                _issue_one(locked, old.kind, actor=actor, signer=signer, number=old.number)
            )
        transaction.on_commit(trust_bundle_publish)
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
        transaction.on_commit(trust_bundle_publish)
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
