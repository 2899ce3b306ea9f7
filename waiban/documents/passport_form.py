"""What the passport application form (因公出国（境）护照/证件申请表) prints: the member's registry
data, the trip it is for, and the accepted photo in its 3:4 box.

The form itself carries more than its QR code: the birth date and place and the sex are printed
for the exit-entry administration, but the signed facts stay the public ones (name, pinyin,
unit, post, the trip); neither the ID number nor any passport number is printed or signed.
"""

import base64

import filetype

from waiban.documents import rendering
from waiban.people.idnumber import birth_province


def _photo_data_uri(request) -> str:
    """The photo inline (documents load nothing from outside themselves)."""
    with request.photo.open("rb") as fh:
        data = fh.read()
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def form_context(request, *, facts) -> dict:
    """Template values of one request's form; called inside ``translation.override("zh-hans")``
    so that the choices (sex, kind, new/renewal) read in Chinese."""
    from waiban.documents.models import Document, DocumentKind

    person, passport, delegation = request.person, request.passport, request.delegation
    member = delegation.members.filter(person=person).first()
    approval = (
        Document.objects.filter(
            delegation=delegation,
            kind=DocumentKind.APPROVAL,
            production_request=None,
            revocation__isnull=True,
        )
        .only("number")
        .first()
    )
    replaced = passport.replaces
    return {
        "request": request,
        "person": person,
        "name_pinyin": person.pinyin_name.upper(),
        "sex": person.get_sex_display(),
        "birth_date": rendering.chinese_date(person.birth_date),
        "birth_place": birth_province(person.id_number) or "—",
        "unit_name": person.unit.name,
        "post": (member.post_at_submission if member else "") or person.post,
        "passport_kind": passport.get_kind_display(),
        "reason": request.get_reason_display(),
        "replaced_expiry": (
            rendering.chinese_date(replaced.expiry_date)
            if replaced and replaced.expiry_date
            else ""
        ),
        "approval_number": approval.number if approval else "—",
        "photo_src": _photo_data_uri(request),
    }
