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


def render_visa_note_docx(context: dict) -> bytes:
    """The note as an editable Word file (some embassies ask for one); same text, same QR."""
    import io

    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from waiban.documents.rendering import qr_png

    word = WordDocument()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    style = word.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    number = word.add_paragraph(context["number"])
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = word.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run("照　会")
    run.bold, run.font.size = True, Pt(20)
    delegation, facts, office = context["delegation"], context["facts"], context["office"]
    word.add_paragraph(f"{context['embassy'].name}：")
    word.add_paragraph(f"{office}向{context['embassy'].name}致意，并谨通知如下：")
    word.add_paragraph(
        f"应{delegation.inviting_organisation or '有关方面'}邀请，{delegation.unit.name}"
        f"“{delegation.title}”一行{context['traveller_count']}人，拟于{facts.departure}至"
        f"{facts.return_date}赴{context['countries']}执行{delegation.get_task_type_display()}任务"
        f"（批件案件编号{delegation.case_number}）。团组人员名单如下："
    )
    labels = ["姓名", "拼音", "性别", "出生日期", "护照种类", "护照号码", "职务", "团内身份"]
    table = word.add_table(rows=1, cols=len(labels))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, labels, strict=True):
        cell.text = label
    for row in context["traveller_rows"]:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
    word.add_paragraph("请贵馆惠予办理上述人员的入境签证为荷。")
    word.add_paragraph(f"{office}顺致崇高的敬意。")
    signature = word.add_paragraph(f"{office}\n{context['date_zh']}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_picture(io.BytesIO(qr_png(context["qr_text"])), width=Mm(40))
    word.add_paragraph("扫描二维码可离线核验本照会要素。")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
