"""The passport application form: a document per production request, with the member's photo
and a signed QR code that states public facts only; it follows the photo and the passport."""

import io
import logging

import pypdfium2
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.models import AuditEvent
from waiban.documents import cli, keys, selectors, services
from waiban.documents.models import Document, DocumentKind, TrustBundleRelease
from waiban.documents.tests.conftest import qr_texts_in_pdf
from waiban.documents.trust import Status
from waiban.outbox.models import OutboxMessage
from waiban.passports.models import Passport, ProductionRequest
from waiban.passports.production import production_photo_upload, production_requests_create
from waiban.passports.services import passport_cancel, passport_report_lost
from waiban.passports.states import Status as PassportStatus
from waiban.passports.tests.helpers import good_photo_bytes, make_passport
from waiban.people.idnumber import birth_province
from waiban.testing.factories import DelegationFactory, UserFactory
from waiban.visits.workflow import delegation_cancel

FORM = DocumentKind.PASSPORT_FORM


@pytest.fixture
def officer(authority):
    return UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)


@pytest.fixture
def trip(signing_keys, unit):
    return DelegationFactory(unit=unit, approved=True, members=2)


@pytest.fixture
def requests(trip, officer):
    return production_requests_create(delegation=trip, actor=officer)


def photo(size=(390, 520)):
    return SimpleUploadedFile("photo.jpg", good_photo_bytes(size))


def upload(request, clerk, capture, size=(390, 520)):
    with capture(execute=True):
        production_photo_upload(request=request, actor=clerk, uploaded=photo(size))
    return Document.objects.filter(production_request=request, revocation=None).get()


@pytest.fixture
def form(requests, clerk, django_capture_on_commit_callbacks):
    return upload(requests[0], clerk, django_capture_on_commit_callbacks)


def pdf_of(document):
    with document.file.open("rb") as fh:
        return fh.read()


def test_an_accepted_photo_issues_the_members_passport_form_after_commit(
    requests, clerk, django_capture_on_commit_callbacks
):
    request = requests[0]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        production_photo_upload(request=request, actor=clerk, uploaded=photo())
    assert not Document.objects.filter(kind=FORM).exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    document = Document.objects.get(kind=FORM)
    assert document.production_request == request and document.delegation == request.delegation
    assert document.version == 1 and document.number.startswith("外办照〔")
    assert document.issued_by == clerk
    audit = AuditEvent.objects.get(action="documents.issue")
    assert audit.actor == clerk and audit.new_values["production_request"] == request.pk
    # The other member has no photo yet, so no form.
    assert not Document.objects.filter(production_request=requests[1]).exists()


def test_the_form_is_one_a4_page_in_chinese_with_the_members_data_and_the_photo_in_a_3_4_box(
    trip, requests, clerk, django_capture_on_commit_callbacks
):
    approval, _task_form = services.documents_issue(delegation=trip)
    document = upload(requests[0], clerk, django_capture_on_commit_callbacks)
    person = requests[0].person
    pdf = pypdfium2.PdfDocument(pdf_of(document))
    assert len(pdf) == 1
    width, height = pdf[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    text = pdf[0].get_textpage().get_text_range().replace("\r\n", "")
    for expected in [
        "因公出国（境）护照/证件申请表",
        document.number,
        person.name_zh,
        person.pinyin_name.upper(),
        "男" if person.sex == "M" else "女",
        f"{person.birth_date.year}年{person.birth_date.month}月{person.birth_date.day}日",
        trip.unit.name,
        "处长",
        "公务普通护照",
        "新办",
        trip.case_number,
        approval.number,
        "德国、法国",
        trip.departure_date.isoformat(),
        trip.return_date.isoformat(),
    ]:
        assert expected in text, expected
    # Birth place: the province of the ID number's area code, never the number itself.
    assert birth_province(person.id_number) in text
    assert person.id_number not in text
    images = list(pdf[0].get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]))
    assert len(images) == 1  # the photo; the QR code is vector
    left, bottom, right, top = images[0].get_bounds()
    assert abs((right - left) / (top - bottom) - 3 / 4) < 0.01


def test_the_forms_code_verifies_and_names_that_one_member_with_public_facts_only(
    trip, requests, form
):
    person = requests[0].person
    texts = qr_texts_in_pdf(pdf_of(form))
    assert texts == [form.qr_text]
    verdict = selectors.code_verify(texts[0])
    assert verdict.status == Status.VALID
    facts = verdict.claims.facts
    assert facts.kind == FORM and facts.case_number == trip.case_number
    assert [(m.name_zh, m.pinyin, m.unit, m.post) for m in facts.members] == [
        (person.name_zh, person.pinyin_name, trip.unit.name, "处长")
    ]
    assert facts.countries == ["DE", "FR"]
    flat = repr(verdict.claims)
    assert person.id_number not in flat and person.phone not in flat
    assert person.birth_date.isoformat() not in flat


def test_a_renewal_form_carries_no_passport_number(
    trip, officer, clerk, django_capture_on_commit_callbacks
):
    old = make_passport(trip.members.first().person, expiry_date=trip.return_date)
    request = next(
        r
        for r in production_requests_create(delegation=trip, actor=officer)
        if r.reason == "renewal"
    )
    document = upload(request, clerk, django_capture_on_commit_callbacks)
    text = pypdfium2.PdfDocument(pdf_of(document))[0].get_textpage().get_text_range()
    assert "换发" in text and old.number not in text
    assert old.number not in repr(selectors.code_verify(document.qr_text).claims)


def test_issuing_again_without_a_new_photo_issues_nothing(requests, form, clerk):
    assert services.passport_form_issue(request=requests[0], actor=clerk) is None
    call_command("documents_issue", stdout=io.StringIO())
    assert Document.objects.filter(kind=FORM).count() == 1


def test_a_replaced_photo_issues_a_new_version_and_revokes_the_old_one(
    requests, form, clerk, django_capture_on_commit_callbacks
):
    before = TrustBundleRelease.objects.count()
    new = upload(requests[0], clerk, django_capture_on_commit_callbacks, size=(420, 560))
    assert new.version == 2 and new.number == form.number
    assert selectors.code_verify(form.qr_text).status == Status.REVOKED
    assert selectors.code_verify(new.qr_text).status == Status.VALID
    assert TrustBundleRelease.objects.count() > before
    assert TrustBundleRelease.objects.first().revoked_count == 1
    revoke = AuditEvent.objects.get(action="documents.revoke")
    assert (
        revoke.object_id == str(form.pk) and revoke.new_values["reason"] == "the photo was replaced"
    )


@pytest.mark.parametrize("end", ["cancel", "report_lost"])
def test_a_cancelled_or_lost_passport_revokes_its_form_and_a_new_photo_issues_none(
    requests, form, officer, clerk, django_capture_on_commit_callbacks, end
):
    passport = requests[0].passport
    with django_capture_on_commit_callbacks(execute=True):
        if end == "cancel":
            passport_cancel(passport=passport, actor=officer, comment="不再出访")
        else:
            Passport.objects.filter(pk=passport.pk).update(status=PassportStatus.IN_CUSTODY)
            passport_report_lost(passport=passport, actor=officer)
    assert selectors.code_verify(form.qr_text).status == Status.REVOKED
    assert AuditEvent.objects.get(action="documents.revoke").actor == officer
    with django_capture_on_commit_callbacks(execute=True):
        production_photo_upload(request=requests[0], actor=clerk, uploaded=photo())
    assert not Document.objects.filter(production_request=requests[0], revocation=None).exists()
    with pytest.raises(ServiceError) as error:
        services.passport_form_issue(request=requests[0], actor=clerk)
    assert error.value.code == "request_cancelled"


def test_cancelling_the_trip_revokes_the_members_passport_forms(trip, form, clerk):
    delegation_cancel(delegation=trip, actor=clerk, reason="外方取消会议")
    assert selectors.code_verify(form.qr_text).status == Status.REVOKED


def test_an_approvers_correction_of_the_case_renews_its_passport_forms(trip, form, staff):
    services.documents_issue(delegation=trip)
    issued = services.documents_reissue(
        delegation=trip, actor=staff["division_head"], reason="职务更正"
    )
    renewed = next(d for d in issued if d.kind == FORM)
    assert renewed.version == 2 and renewed.production_request == form.production_request
    assert selectors.code_verify(form.qr_text).status == Status.REVOKED


def test_only_the_passport_office_or_the_units_clerk_issue_and_only_the_office_revokes(
    requests, form, staff, clerk
):
    request = requests[0]
    for actor in (staff["reviewer"], staff["division_head"], UserFactory(role=Role.UNIT_CLERK)):
        with pytest.raises(PermissionDenied):
            services.passport_form_issue(request=request, actor=actor)
    for actor in (clerk, staff["reviewer"], UserFactory(role=Role.PASSPORT_OFFICER)):
        with pytest.raises(PermissionDenied):
            services.passport_form_revoke(request=request, actor=actor, reason="x")
    assert selectors.code_verify(form.qr_text).status == Status.VALID


def test_a_lost_after_commit_hook_is_caught_up_by_the_issue_command(requests, clerk):
    production_photo_upload(request=requests[0], actor=clerk, uploaded=photo())  # no commit hook
    assert list(selectors.passport_forms_pending()) == [requests[0]]
    call_command("documents_issue", stdout=io.StringIO())
    call_command("documents_issue", stdout=io.StringIO())
    assert Document.objects.filter(kind=FORM).count() == 1
    # The delegation's own papers are still counted apart from the forms.
    assert Document.objects.filter(production_request=None).count() == 2


def test_a_failure_to_issue_the_form_keeps_the_photo(
    db, settings, tmp_path, unit, clerk, django_capture_on_commit_callbacks, caplog
):
    settings.DOCUMENT_KEYS_DIR = tmp_path / "nokeys"
    settings.DOCUMENT_AUTO_KEYS = False
    trip = DelegationFactory(unit=unit, approved=True, members=1)
    officer = UserFactory(role=Role.PASSPORT_OFFICER, authority=unit.authority)
    request = production_requests_create(delegation=trip, actor=officer)[0]
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        production_photo_upload(request=request, actor=clerk, uploaded=photo())
    request.refresh_from_db()
    assert request.photo and not Document.objects.exists()
    message = OutboxMessage.objects.get(topic="documents.passport_form_after_photo")
    assert message.state == "pending" and "[signer_missing]" in message.last_error


# Downloads and pages


def test_the_officer_and_the_units_clerk_download_the_form_and_others_get_a_404(
    client, trip, form, officer, clerk, staff
):
    url = reverse("documents:download", args=[form.pk])
    assert client.get(url).status_code == 302  # anonymous: log in first
    for user in (officer, clerk):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    outsiders = [
        *staff.values(),
        UserFactory(role=Role.PASSPORT_OFFICER),
        UserFactory(role=Role.UNIT_CLERK),
        UserFactory(role=Role.UNIT_HEAD, unit=trip.unit),
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(url).status_code == 404, user.role


def test_the_passport_stage_page_lists_each_request_with_its_form(
    client, trip, requests, form, officer
):
    client.force_login(officer)
    html = client.get(reverse("passports:delegation", args=[trip.pk])).content.decode()
    assert reverse("documents:download", args=[form.pk]) in html
    assert form.number in html
    assert "The form is issued once the photo is accepted." in html  # the second member


def test_the_clerk_finds_the_form_on_the_photo_page(client, requests, form, clerk):
    client.force_login(clerk)
    html = client.get(reverse("passports:photo", args=[requests[0].pk])).content.decode()
    assert reverse("documents:download", args=[form.pk]) in html
    html = client.get(reverse("passports:photo", args=[requests[1].pk])).content.decode()
    assert "The form is issued once the photo is accepted." in html


def test_the_case_page_keeps_the_passport_forms_to_the_passport_pages(client, trip, form, clerk):
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[trip.pk])).content.decode()
    assert reverse("documents:download", args=[form.pk]) not in html


# Verification


def test_the_verification_page_names_the_kind_in_english_and_in_chinese(client, form):
    html = client.post(reverse("documents:verify"), {"code": form.qr_text}).content.decode()
    assert 'data-kind="passport_form"' in html
    assert "Passport application form · 因公出国（境）护照/证件申请表" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.post(reverse("documents:verify"), {"code": form.qr_text}).content.decode()
    assert "因公出国（境）护照/证件申请表</dd>" in html and "Passport application form" not in html


def test_the_json_endpoint_gives_the_kind_with_both_labels(client, form):
    body = client.post(reverse("documents:verify_json"), {"code": form.qr_text}).json()
    assert body["status"] == "valid"
    assert body["document"]["kind"] == {
        "code": "passport_form",
        "zh": "因公出国（境）护照/证件申请表",
        "en": "Passport application form",
    }
    assert len(body["document"]["facts"]["m"]) == 1


def test_the_offline_verifier_names_the_kind(form, tmp_path, capsys):
    root = tmp_path / "root.pem"
    root.write_text(keys.root_key().certificate)
    bundle = tmp_path / "bundle.cbor"
    bundle.write_bytes(bytes(selectors.trust_bundle_current().data))
    code = cli.main(["--root", str(root), "--bundle", str(bundle), "--text", form.qr_text])
    out = capsys.readouterr().out
    assert code == 0
    assert (
        "document: Passport application form / 因公出国（境）护照/证件申请表 (passport_form)" in out
    )
    assert form.number in out


def test_a_form_needs_its_production_request_and_only_a_form_has_one(trip, requests, form):
    from django.db import IntegrityError, transaction

    fields = {
        f.name: getattr(form, f.name)
        for f in Document._meta.concrete_fields
        if f.name not in ("id", "production_request", "kind", "number")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(**fields, kind=FORM, number="x", production_request=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(
            **fields, kind=DocumentKind.APPROVAL, number="y", production_request=requests[1]
        )
    assert ProductionRequest.objects.get(pk=requests[0].pk).documents.get() == form
