"""From a delegation to its signed facts: the claim set, the COSE signature, the QR text."""

import datetime as dt

from django.conf import settings
from django.utils import translation

from waiban.documents import codec, cose, keys
from waiban.documents.models import DocumentKind, SigningKey

ROLE_ZH = {"leader": "团长", "member": "团员", "interpreter": "翻译"}


def delegation_facts(delegation, *, kind: str, person=None) -> codec.Facts:
    """Only what a checker needs to match the paper against the traveller: no ID numbers, no
    passport numbers. With ``person``, the facts name that one traveller (a passport form)."""
    memberships = delegation.members.select_related("person__unit")
    if person is not None:
        memberships = memberships.filter(person=person)
    members = [
        codec.Member(
            name_zh=m.person.name_zh,
            pinyin=m.person.pinyin_name,
            unit=m.person.unit.name,
            post=m.post_at_submission or m.person.post,
        )
        for m in memberships
    ]
    if person is not None and not members:  # no longer on the trip: the registry still knows
        members = [codec.Member(person.name_zh, person.pinyin_name, person.unit.name, person.post)]
    countries = []
    for stop in delegation.stops.all():
        code = str(stop.country)
        if code not in countries:
            countries.append(code)
    return codec.Facts(
        kind=kind,
        title=delegation.title,
        office=delegation.authority.name,
        unit=delegation.unit.name,
        case_number=delegation.case_number or "",
        members=members,
        countries=countries,
        departure=delegation.departure_date.isoformat() if delegation.departure_date else "",
        return_date=delegation.return_date.isoformat() if delegation.return_date else "",
    )


def expiry_for(delegation, issued_at: dt.datetime) -> dt.datetime:
    """Valid until the end of the return date plus a margin (late returns, reimbursement)."""
    last = delegation.return_date or issued_at.date()
    day = last + dt.timedelta(days=settings.DOCUMENT_EXPIRY_MARGIN_DAYS + 1)
    return dt.datetime.combine(day, dt.time.min, tzinfo=issued_at.tzinfo or dt.UTC)


def sign_claims(claims: codec.Claims, signer: SigningKey) -> str:
    cose_bytes = cose.sign1(
        payload=codec.claims_to_cbor(claims),
        private_key=keys.private_key_of(signer),
        kid=bytes.fromhex(signer.kid),
        algorithm=cose.ALGORITHMS[cose.ES256.cose_id],
    )
    return codec.wrap(cose_bytes)


def country_names_zh(codes) -> list[str]:
    from django_countries import countries

    with translation.override("zh-hans"):
        return [str(countries.name(code)) or code for code in codes]


KIND_ZH = {kind: codec.kind_names(kind)[0] for kind in DocumentKind.values}
