"""Documents issued on approval: rendered, signed, decodable from the PDF itself, revocable."""

import io

import pytest
from django.core.management import call_command
from docx import Document as WordDocument

from waiban.core.errors import PermissionDenied
from waiban.documents import keys, selectors, services
from waiban.documents.models import Document, DocumentKind, TrustBundleRelease
from waiban.documents.tests.conftest import qr_texts_in_pdf
from waiban.documents.trust import Status
from waiban.outbox.models import OutboxMessage
from waiban.testing.factories import DelegationFactory
from waiban.visits.workflow import delegation_approve


@pytest.fixture
def approved(signing_keys, unit):
    return DelegationFactory(unit=unit, approved=True)


def test_the_final_approval_issues_the_approval_document_and_the_task_form(
    signing_keys, unit, staff, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(unit=unit, pending_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        delegation_approve(delegation=delegation, actor=staff["division_head"])
    kinds = sorted(delegation.documents.values_list("kind", flat=True))
    assert kinds == [DocumentKind.APPROVAL, DocumentKind.TASK_FORM]
    document = delegation.documents.get(kind=DocumentKind.APPROVAL)
    assert document.issued_by == staff["division_head"]
    assert document.number.startswith("外办批〔") and document.version == 1


def test_an_intermediate_approval_level_issues_nothing(
    signing_keys, unit, staff, django_capture_on_commit_callbacks
):
    from waiban.visits.models import ApprovalStep

    delegation = DelegationFactory(unit=unit, pending_approval=True)
    ApprovalStep.objects.create(delegation=delegation, level=2, position="office_leader")
    with django_capture_on_commit_callbacks(execute=True):
        delegation_approve(delegation=delegation, actor=staff["division_head"])
    assert not delegation.documents.exists()


def test_issuing_twice_creates_no_duplicates(approved):
    first = services.documents_issue(delegation=approved)
    again = services.documents_issue(delegation=approved)
    assert len(first) == 2 and again == []
    assert Document.objects.filter(delegation=approved).count() == 2


def test_the_qr_code_decoded_from_the_rendered_pdf_verifies(approved):
    services.documents_issue(delegation=approved)
    for document in approved.documents.all():
        pdf = document.file.open("rb").read()
        texts = qr_texts_in_pdf(pdf)
        assert texts == [document.qr_text]
        verdict = selectors.code_verify(texts[0])
        assert verdict.status == Status.VALID
        assert verdict.claims.facts.kind == document.kind
        assert verdict.claims.facts.title == approved.title
        names = [m.name_zh for m in verdict.claims.facts.members]
        assert names == [m.person.name_zh for m in approved.members.all()]


def test_the_pdf_is_one_a4_page_with_the_chinese_text_embedded(approved):
    import pypdfium2

    services.documents_issue(delegation=approved)
    document = approved.documents.get(kind=DocumentKind.APPROVAL)
    pdf = pypdfium2.PdfDocument(document.file.open("rb").read())
    width, height = pdf[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    text = pdf[0].get_textpage().get_text_range()
    assert "批复" in text and approved.unit.name in text and document.number in text


def test_the_code_carries_no_id_number_or_phone(approved):
    services.documents_issue(delegation=approved)
    verdict = selectors.code_verify(approved.documents.first().qr_text)
    flat = repr(verdict.claims)
    for member in approved.members.select_related("person"):
        assert member.person.id_number not in flat
        assert member.person.phone not in flat


def test_the_unit_gets_the_task_form_as_an_editable_word_file(approved):
    services.documents_issue(delegation=approved)
    task_form = approved.documents.get(kind=DocumentKind.TASK_FORM)
    word = WordDocument(io.BytesIO(task_form.editable_file.open("rb").read()))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert approved.title in cells
    assert approved.members.first().person.name_zh in cells


def test_the_stored_hash_is_the_hash_of_the_stored_pdf(approved):
    import hashlib

    services.documents_issue(delegation=approved)
    for document in approved.documents.all():
        assert hashlib.sha256(document.file.open("rb").read()).hexdigest() == document.content_hash


def test_a_reissue_makes_a_new_version_and_revokes_the_old_one(approved, staff):
    old = {d.kind: d for d in services.documents_issue(delegation=approved)}
    new = services.documents_reissue(
        delegation=approved, actor=staff["division_head"], reason="dates changed"
    )
    assert sorted(d.version for d in new) == [2, 2]
    assert {d.number for d in new} == {d.number for d in old.values()}
    approval_old = old[DocumentKind.APPROVAL]
    assert selectors.code_verify(approval_old.qr_text).status == Status.REVOKED
    for document in new:
        assert selectors.code_verify(document.qr_text).status == Status.VALID


def test_a_cancelled_delegation_revokes_its_documents_and_the_bundle_lists_them(
    approved, staff, django_capture_on_commit_callbacks
):
    issued = services.documents_issue(delegation=approved)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.documents_revoke(
            delegation=approved, actor=staff["division_head"], reason="trip cancelled"
        )
    assert count == 2
    release = TrustBundleRelease.objects.first()
    assert release.revoked_count == 2
    for document in issued:
        assert selectors.code_verify(document.qr_text).status == Status.REVOKED


def test_a_unit_clerk_cannot_revoke_documents(approved, clerk):
    services.documents_issue(delegation=approved)
    with pytest.raises(PermissionDenied) as exc:
        services.documents_revoke(delegation=approved, actor=clerk, reason="no")
    assert exc.value.code == "wrong_role"


def test_a_document_signed_by_a_retired_key_still_verifies_after_rotation(approved):
    document = services.documents_issue(delegation=approved)[0]
    new_signer = keys.signer_rotate()
    assert new_signer.kid != document.signer_kid
    assert selectors.code_verify(document.qr_text).status == Status.VALID
    other = DelegationFactory(unit=approved.unit, approved=True)
    assert services.documents_issue(delegation=other)[0].signer_kid == new_signer.kid


def test_private_keys_are_stored_encrypted(signing_keys, settings):
    _root, signer = signing_keys
    pem = (settings.DOCUMENT_KEYS_DIR / signer.key_file).read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in pem


def test_without_keys_and_without_auto_creation_issuing_fails_loudly(db, settings, tmp_path):
    from waiban.core.errors import ServiceError

    settings.DOCUMENT_KEYS_DIR = tmp_path / "nokeys"
    settings.DOCUMENT_AUTO_KEYS = False
    delegation = DelegationFactory(approved=True)
    with pytest.raises(ServiceError) as exc:
        services.documents_issue(delegation=delegation)
    assert exc.value.code == "signer_missing"


def test_the_issue_command_catches_up_on_approved_cases_without_documents(signing_keys, unit):
    DelegationFactory(unit=unit, approved=True)
    DelegationFactory(unit=unit, approved=True)
    call_command("documents_issue", stdout=io.StringIO())
    call_command("documents_issue", stdout=io.StringIO())
    assert Document.objects.count() == 4


def test_the_keys_command_initialises_rotates_and_exports(db, settings, tmp_path):
    settings.DOCUMENT_KEYS_DIR = tmp_path / "keys"
    out = io.StringIO()
    call_command("documents_keys", "init", stdout=out)
    call_command("documents_keys", "rotate", "--days", "30", stdout=out)
    call_command("documents_keys", "export", "--out", str(tmp_path / "pub"), stdout=out)
    call_command("documents_keys", "list", stdout=out)
    assert (tmp_path / "pub" / "waiban-root.pem").exists()
    assert "retired" in out.getvalue()


def test_a_failure_to_issue_does_not_undo_the_approval(
    db, settings, tmp_path, unit, staff, django_capture_on_commit_callbacks, caplog
):
    settings.DOCUMENT_KEYS_DIR = tmp_path / "nokeys"
    settings.DOCUMENT_AUTO_KEYS = False
    delegation = DelegationFactory(unit=unit, pending_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        delegation_approve(delegation=delegation, actor=staff["division_head"])
    delegation.refresh_from_db()
    assert delegation.state == "approved"
    assert not delegation.documents.exists()
    # The outbox keeps the work and retries it later; the error names the code, not the text.
    message = OutboxMessage.objects.get(topic="documents.issue_after_approval")
    assert message.state == "pending" and message.attempts == 1
    assert "[signer_missing]" in message.last_error
    assert "outbox message" in caplog.text


def test_the_word_task_form_holds_the_approvers_own_opinion_the_office_and_the_itinerary(
    signing_keys, unit, staff, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(unit=unit, pending_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        delegation_approve(
            delegation=delegation, actor=staff["division_head"], opinion="同意出访，注意保密纪律。"
        )
    task_form = delegation.documents.get(kind=DocumentKind.TASK_FORM)
    word = WordDocument(io.BytesIO(task_form.editable_file.open("rb").read()))
    text = " ".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "同意出访，注意保密纪律。" in text
    assert delegation.authority.name in text
    stop = delegation.stops.first()
    assert stop.city in text and f"{stop.arrival_date:%Y-%m-%d}" in text
