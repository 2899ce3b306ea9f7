"""PDF (WeasyPrint, embedded Noto CJK font) and Word (python-docx) renderings of a document.

The documents themselves are in Chinese whatever the UI language: they are official papers
(GB/T 9704 layout), so their text lives in the templates and is not translated.
"""

import datetime as dt
import io
import logging

import segno
from django.template.loader import render_to_string
from django.utils import translation

QR_ERROR = "q"
# WeasyPrint logs every layout step at INFO; that would be seven lines per document.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def qr_svg(text: str, *, size_mm: float = 36) -> str:
    """Inline SVG of the QR code at a printed size in millimetres (vector: prints sharp)."""
    qr = segno.make(text, error=QR_ERROR, micro=False)
    modules = qr.symbol_size(scale=1, border=4)[0]
    return qr.svg_inline(scale=round(size_mm / modules, 4), unit="mm", border=4)


def qr_png(text: str, *, scale: int = 4) -> bytes:
    out = io.BytesIO()
    segno.make(text, error=QR_ERROR, micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango takes ~0.3 s
    from weasyprint.urls import URLFetcher

    with translation.override("zh-hans"):
        html = render_to_string(template, context)
    # No network at run time: documents reference nothing outside themselves (fonts are local,
    # a photo is inline). Any other URL stops the rendering rather than leaving a hole.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def render_task_form_docx(context: dict) -> bytes:
    """The task form as an editable Word file for the unit; same facts, same QR."""
    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    word = WordDocument()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    style = word.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    heading = word.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run("因公出国（境）任务审批表")
    run.bold, run.font.size = True, Pt(20)
    word.add_paragraph(f"编号：{context['number']}（第{context['version']}版）")
    table = word.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in context["form_rows"]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    word.add_paragraph()
    people = word.add_table(rows=1, cols=5)
    people.style = "Table Grid"
    for cell, label in zip(
        people.rows[0].cells, ["姓名", "拼音", "工作单位", "职务", "团内身份"], strict=True
    ):
        cell.text = label
    for m in context["member_rows"]:
        cells = people.add_row().cells
        for cell, value in zip(cells, m, strict=True):
            cell.text = value
    word.add_paragraph()
    itinerary = word.add_table(rows=0, cols=2)
    itinerary.style = "Table Grid"
    for stop in context.get("stops", []):
        cells = itinerary.add_row().cells
        cells[0].text = f"{stop.arrival_date:%Y-%m-%d}—{stop.departure_date:%Y-%m-%d}"
        cells[1].text = f"{stop.country.name} {stop.city}"
    word.add_paragraph()
    approval = word.add_table(rows=1, cols=2)
    approval.style = "Table Grid"
    cells = approval.rows[0].cells
    cells[0].text = "外事办公室审批意见"
    cells[
        1
    ].text = (
        f"{context.get('approval_opinion') or '同意。'}\n{context['office']}\n{context['date_zh']}"
    )
    word.add_picture(io.BytesIO(qr_png(context["qr_text"])), width=Mm(40))
    word.add_paragraph("扫描二维码可离线核验本表要素。")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
