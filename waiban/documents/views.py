"""Downloads (permission-checked), the public verification page and JSON endpoint, and the
published trust material (root certificate, trust bundle)."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from waiban.core.errors import PermissionDenied, ServiceError
from waiban.documents import codec, keys, selectors, services
from waiban.documents.models import DocumentKind
from waiban.documents.qrimage import ImageRejected, qr_texts_from_image
from waiban.documents.trust import Status, Verdict
from waiban.visits.selectors import delegation_get

MAX_TEXT = 8000  # a real code is ~1,500 characters


def status_titles():
    """The verdict in the reader's language; the English code label stays beside it."""
    return {
        Status.VALID: _("Valid"),
        Status.REVOKED: _("Revoked"),
        Status.EXPIRED: _("Expired"),
        Status.UNKNOWN_SIGNER: _("Unknown signer"),
        Status.TAMPERED: _("Tampered"),
        Status.NOT_WAIBAN: _("Not a Waiban code"),
    }


def status_explanations():
    return {
        Status.VALID: _("Signed by the office, not revoked and not expired."),
        Status.REVOKED: _(
            "The office has revoked this document (it was replaced or the trip cancelled)."
        ),
        Status.EXPIRED: _("The document was genuine but its period of validity has ended."),
        Status.UNKNOWN_SIGNER: _("The code was not signed by a key this office trusts."),
        Status.TAMPERED: _("The code is damaged or its content was altered."),
        Status.NOT_WAIBAN: _("This is not a code issued by Waiban."),
    }


def kind_titles(verdict) -> tuple[str, str]:
    """The document's kind in the reader's language, and the paper's own Chinese title."""
    if verdict is None or verdict.claims is None:
        return "", ""
    code = verdict.claims.facts.kind
    zh, en = codec.kind_names(code)
    return (str(DocumentKind(code).label) if code in DocumentKind.values else en), zh


@login_required
def document_download(request, pk, fmt="pdf"):
    document = selectors.document_for_user(user=request.user, pk=pk)
    if document is None:
        raise Http404
    field = document.editable_file if fmt == "docx" else document.file
    if not field:
        raise Http404
    ext = "docx" if fmt == "docx" else "pdf"
    content_type = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if fmt == "docx"
        else "application/pdf"
    )
    return FileResponse(
        field.open("rb"),
        as_attachment=fmt == "docx",
        filename=f"{document.number}-v{document.version}.{ext}",
        content_type=content_type,
    )


def _verdict_from_request(request) -> Verdict | None:
    """Text from a field or JSON body, or a QR found in an uploaded image; None if nothing."""
    upload = request.FILES.get("image")
    if upload is not None:
        if upload.size > settings.DOCUMENT_VERIFY_MAX_UPLOAD:
            return Verdict(Status.NOT_WAIBAN, _("The file is too large to check."))
        try:
            texts = qr_texts_from_image(upload.read())
        except ImageRejected:
            return Verdict(Status.NOT_WAIBAN, _("The file is not an image we can read."))
        if not texts:
            return Verdict(Status.NOT_WAIBAN, _("No QR code was found in the image."))
        verdicts = [selectors.code_verify(t) for t in texts]
        # A photo may hold other codes too: report ours if there is one.
        return next((v for v in verdicts if v.status != Status.NOT_WAIBAN), verdicts[0])
    text = request.POST.get("code")
    if text is None and request.content_type == "application/json":
        try:
            text = json.loads(request.body or b"{}").get("code")
        except (ValueError, AttributeError):
            return Verdict(Status.NOT_WAIBAN, _("The request is not valid JSON."))
        if text is not None and not isinstance(text, str):
            # {"code": 123}, a list, an object: a code is the text its QR holds.
            return Verdict(Status.NOT_WAIBAN, _("The code must be text, as the QR code holds it."))
    if text is None:
        text = request.GET.get("code")
    if not text or not text.strip():
        return None
    if len(text) > MAX_TEXT:
        return Verdict(Status.NOT_WAIBAN, _("The text is far longer than any Waiban code."))
    return selectors.code_verify(text)


@require_http_methods(["GET", "POST"])
def verify_page(request):
    verdict = _verdict_from_request(request) if request.method == "POST" else None
    kind_title, kind_zh = kind_titles(verdict)
    return render(
        request,
        "documents/verify.html",
        {
            "verdict": verdict,
            "explanation": status_explanations().get(verdict.status) if verdict else "",
            "verdict_title": status_titles().get(verdict.status) if verdict else "",
            "kind_title": kind_title,
            "kind_zh": kind_zh,
            "code": (request.POST.get("code") or "")[:MAX_TEXT],
            "max_upload_mb": settings.DOCUMENT_VERIFY_MAX_UPLOAD // (1024 * 1024),
        },
    )


@csrf_exempt  # a public, read-only check: no session, nothing changes
@require_http_methods(["GET", "POST"])
def verify_json(request):
    verdict = _verdict_from_request(request)
    if verdict is None:
        return JsonResponse(
            {"error": "no_code", "message": _("Send a code or an image.")}, status=400
        )
    body = verdict.as_dict()
    body["explanation"] = status_explanations()[verdict.status]
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def trust_bundle(request):
    release = selectors.trust_bundle_current()
    if release is None:
        raise Http404
    response = HttpResponse(bytes(release.data), content_type="application/cbor")
    response["Content-Disposition"] = 'attachment; filename="waiban-trust-bundle.cbor"'
    response["Last-Modified"] = release.issued_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    response["X-Bundle-Sequence"] = str(release.sequence)
    return response


def root_certificate(request):
    root = keys.root_key()
    if root is None:
        raise Http404
    response = HttpResponse(root.certificate, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="waiban-root.pem"'
    return response


def trust_page(request):
    return render(
        request,
        "documents/trust.html",
        {
            "root": keys.root_key(),
            "release": selectors.trust_bundle_current(),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["POST"])
def documents_reissue_view(request, delegation_pk):
    """An approver issues new versions of an approved case's documents; the old are revoked."""
    delegation = delegation_get(user=request.user, pk=delegation_pk)
    if delegation is None:
        raise Http404
    try:
        services.documents_reissue(
            delegation=delegation, actor=request.user, reason=request.POST.get("reason", "")
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("New versions issued; the old ones are revoked."))
    return redirect("visits:detail", pk=delegation.pk)
