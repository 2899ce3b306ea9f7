"""The public verification page and JSON endpoint, the trust material, and the downloads."""

import io

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from waiban.accounts.roles import Role
from waiban.documents import services, trust
from waiban.documents.models import DocumentKind
from waiban.testing.factories import DelegationFactory, UserFactory


@pytest.fixture
def issued(signing_keys, unit):
    delegation = DelegationFactory(unit=unit, approved=True)
    services.documents_issue(delegation=delegation)
    return delegation


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def qr_photo(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="q").save(out, kind="png", scale=5)
    return out.getvalue()


def test_pasting_a_valid_code_shows_valid_and_the_signed_facts(client, issued):
    document = issued.documents.get(kind=DocumentKind.APPROVAL)
    response = client.post(reverse("documents:verify"), {"code": document.qr_text})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="valid"' in html and "VALID" in html
    assert issued.title in html and document.number in html


def test_uploading_a_photo_of_the_code_verifies_it(client, issued):
    document = issued.documents.first()
    upload = SimpleUploadedFile("photo.png", qr_photo(document.qr_text), "image/png")
    response = client.post(reverse("documents:verify"), {"image": upload})
    assert 'data-status="valid"' in response.content.decode()


def test_a_random_image_is_not_a_waiban_code(client, signing_keys):
    noise = Image.effect_noise((300, 300), 80).convert("L")
    upload = SimpleUploadedFile("noise.png", png(noise), "image/png")
    response = client.post(reverse("documents:verify"), {"image": upload})
    assert response.status_code == 200
    assert 'data-status="not_waiban_code"' in response.content.decode()
    assert "No QR code was found" in response.content.decode()


def test_a_file_that_is_not_an_image_gets_a_clear_answer(client, signing_keys):
    upload = SimpleUploadedFile("x.png", b"\x89PNG not really" * 100, "image/png")
    response = client.post(reverse("documents:verify"), {"image": upload})
    assert response.status_code == 200
    assert "not an image we can read" in response.content.decode()


def test_a_huge_upload_is_refused_with_a_clear_answer(client, signing_keys, settings):
    settings.DOCUMENT_VERIFY_MAX_UPLOAD = 1000
    upload = SimpleUploadedFile("big.png", b"\0" * 5000, "image/png")
    response = client.post(reverse("documents:verify"), {"image": upload})
    assert response.status_code == 200
    assert "too large" in response.content.decode()


def test_a_code_from_another_system_is_not_a_waiban_code(client, signing_keys):
    response = client.post(reverse("documents:verify"), {"code": "HC1:6BFOXN%TS3DH0YOJ58S"})
    assert 'data-status="not_waiban_code"' in response.content.decode()


def test_the_json_endpoint_answers_each_outcome_without_a_server_error(client, issued):
    document = issued.documents.first()
    url = reverse("documents:verify_json")
    body = client.post(url, {"code": document.qr_text}).json()
    assert body["status"] == "valid" and body["document"]["number"] == document.number
    truncated = client.post(
        url, {"code": document.qr_text[:100]}, content_type="application/json"
    ).json()
    assert truncated["status"] == "tampered"
    assert client.post(url, "{not json", content_type="application/json").status_code == 400
    assert client.post(url, {}).status_code == 400
    assert client.get(url, {"code": "x" * 10_000}).json()["error"] == "code_too_long"


def test_the_trust_bundle_is_published_and_verifiable_with_the_root_certificate(client, issued):
    root_pem = client.get(reverse("documents:root_certificate")).content
    bundle_bytes = client.get(reverse("documents:trust_bundle")).content
    bundle = trust.bundle_parse(bundle_bytes, trust.load_root_public_key(root_pem))
    document = issued.documents.first()
    assert document.signer_kid in {kid.hex() for kid in bundle.signers}
    assert client.get(reverse("documents:trust")).status_code == 200


def test_the_bundle_at_the_public_url_is_updated_on_every_revocation(
    client, issued, staff, django_capture_on_commit_callbacks
):
    url = reverse("documents:trust_bundle")
    before = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.documents_revoke(
            delegation=issued, actor=staff["division_head"], reason="cancelled"
        )
    after = client.get(url)
    assert int(after["X-Bundle-Sequence"]) > int(before["X-Bundle-Sequence"])
    root = trust.load_root_public_key(client.get(reverse("documents:root_certificate")).content)
    assert len(trust.bundle_parse(after.content, root).revoked) == 2


def test_the_unit_clerk_downloads_the_pdf_and_the_word_file(client, issued, clerk):
    client.force_login(clerk)
    task_form = issued.documents.get(kind=DocumentKind.TASK_FORM)
    pdf = client.get(reverse("documents:download", args=[task_form.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    docx = client.get(reverse("documents:download_docx", args=[task_form.pk]))
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]


def test_another_units_clerk_cannot_download_the_documents(client, issued):
    stranger = UserFactory(role=Role.UNIT_CLERK)
    client.force_login(stranger)
    document = issued.documents.first()
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, issued):
    response = client.get(reverse("documents:download", args=[issued.documents.first().pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_case_page_lists_the_documents_with_download_links(client, issued, clerk):
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[issued.pk])).content.decode()
    assert 'data-testid="documents"' in html
    for document in issued.documents.all():
        assert reverse("documents:download", args=[document.pk]) in html
        assert document.number in html


def test_a_trip_cancelled_by_the_unit_turns_its_code_revoked_on_the_verification_page(
    client, issued, django_capture_on_commit_callbacks
):
    from waiban.visits import workflow
    from waiban.visits.states import State

    clerk = issued.created_by
    document = issued.documents.get(kind=DocumentKind.APPROVAL)
    assert (
        client.post(reverse("documents:verify"), {"code": document.qr_text})
        .context["verdict"]
        .status
        == trust.Status.VALID
    )
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = workflow.delegation_cancel(
            delegation=issued, actor=clerk, reason="外方取消会议"
        )
    assert cancelled.state == State.CANCELLED
    response = client.post(reverse("documents:verify"), {"code": document.qr_text})
    assert response.context["verdict"].status == trust.Status.REVOKED
    assert 'data-status="revoked"' in response.content.decode()


def test_an_approver_issues_new_versions_from_the_case_page_and_the_old_ones_are_revoked(
    client, issued, staff
):
    old = issued.documents.get(kind=DocumentKind.APPROVAL)
    client.force_login(staff["division_head"])
    page = client.get(reverse("visits:detail", args=[issued.pk])).content.decode()
    assert 'data-testid="reissue"' in page
    response = client.post(reverse("documents:reissue", args=[issued.pk]), {"reason": "职务更正"})
    assert response.status_code == 302
    versions = issued.documents.filter(kind=DocumentKind.APPROVAL).order_by("version")
    assert [d.version for d in versions] == [1, 2]
    verdict = client.post(reverse("documents:verify"), {"code": old.qr_text}).context["verdict"]
    assert verdict.status == trust.Status.REVOKED


def test_a_clerk_cannot_reissue_documents(client, issued, clerk):
    client.force_login(issued.created_by)
    assert (
        'data-testid="reissue"'
        not in client.get(reverse("visits:detail", args=[issued.pk])).content.decode()
    )
    response = client.post(reverse("documents:reissue", args=[issued.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert issued.documents.count() == 2
