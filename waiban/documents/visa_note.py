"""What a visa note (照会) prints: the office's request to one embassy for the travellers of one
batch, with their passports, and the trip.

The signed facts are the public ones (names, pinyin, unit, post, the embassy's country, the
dates); the passport numbers are printed for the embassy but never signed into the QR code.
"""

from waiban.documents import codec, signing

PASSPORT_KIND_ZH = {
    "diplomatic": "外交护照",
    "service": "公务护照",
    "official_ordinary": "公务普通护照",
}


def note_facts(batch, *, kind) -> codec.Facts:
    delegation = batch.delegation
    applications = list(batch.applications.select_related("member__person__unit"))
    members = [
        codec.Member(
            name_zh=a.member.person.name_zh,
            pinyin=a.member.person.pinyin_name,
            unit=a.member.person.unit.name,
            post=a.member.post_at_submission or a.member.person.post,
        )
        for a in applications
    ]
    return codec.Facts(
        kind=kind,
        title=delegation.title,
        office=delegation.authority.name,
        unit=delegation.unit.name,
        case_number=delegation.case_number or "",
        members=members,
        countries=[batch.embassy.country.code],
        departure=delegation.departure_date.isoformat() if delegation.departure_date else "",
        return_date=delegation.return_date.isoformat() if delegation.return_date else "",
    )


def note_context(batch) -> dict:
    """Template values of the note; called inside ``translation.override("zh-hans")``."""
    applications = list(batch.applications.select_related("member__person__unit", "passport"))
    rows = [
        [
            a.member.person.name_zh,
            a.member.person.pinyin_name,
            a.member.person.get_sex_display(),
            a.member.person.birth_date.isoformat() if a.member.person.birth_date else "",
            PASSPORT_KIND_ZH.get(a.passport_kind, a.passport_kind),
            (a.passport.number if a.passport else "") or "（待发）",
            a.member.post_at_submission or a.member.person.post,
            signing.ROLE_ZH.get(a.member.role, ""),
        ]
        for a in applications
    ]
    return {
        "batch": batch,
        "embassy": batch.embassy,
        "traveller_rows": rows,
        "traveller_count": len(rows),
    }
