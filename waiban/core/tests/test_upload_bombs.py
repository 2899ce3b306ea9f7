"""Decompression bombs are refused from their headers, quickly and in plain words; exports never
hand out a live formula."""

import io
import struct
import time
import zipfile
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from waiban.core.errors import ServiceError
from waiban.core.spreadsheets import FileRejected, upload_rows, workbook_bytes
from waiban.core.uploads import image_pixels_problem, zip_unpacked_problem


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header announces ``width``×``height`` pixels (the data would unpack to
    gigabytes); nothing here ever decodes it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 100_000, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


BOMB_PNG = png_claiming(20_000, 20_000)  # 400 megapixels in a few hundred bytes


def xlsx_bytes(rows, *, dimension: str | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = workbook_bytes(book)
    if dimension is None:
        return data
    # Rewrite the sheet's declared dimension, as a crafted file would.
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                start = text.index("<dimension ref=")
                end = text.index("/>", start) + 2
                tag = f'<dimension ref="{dimension}"/>' if dimension else ""
                body = (text[:start] + tag + text[end:]).encode()
            target.writestr(item.filename, body)
    return out.getvalue()


def xlsx_bomb(unpacked_mb: int) -> bytes:
    """A valid-looking .xlsx whose sheet is ``unpacked_mb`` MB of blank space."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b" " * 1048576
            for _ in range(unpacked_mb):
                sheet.write(block)
    return out.getvalue()


def rows_of(content: bytes):
    upload = SimpleUploadedFile("list.xlsx", content)
    with upload_rows(upload, old_excel="old", not_readable="unreadable", allow_csv=True) as rows:
        return list(rows)


# --- images ---------------------------------------------------------------------------------


def test_a_400_megapixel_png_is_refused_from_its_header_in_plain_words():
    started = time.monotonic()
    code, message = image_pixels_problem(BOMB_PNG)
    assert time.monotonic() - started < 0.5
    assert code == "image_too_many_pixels"
    assert "more than 40 megapixels" in message


def test_an_image_just_over_the_limit_is_named_by_its_size():
    code, message = image_pixels_problem(png_claiming(8000, 6000))
    assert code == "image_too_many_pixels"
    assert "8000×6000 pixels; at most 40 megapixels" in message


def test_an_ordinary_photo_passes_the_pixel_limit():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, "PNG")
    assert image_pixels_problem(buffer.getvalue()) is None


def test_the_pixel_limit_is_a_setting(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000_000
    assert image_pixels_problem(png_claiming(2000, 1000))[0] == "image_too_many_pixels"
    assert image_pixels_problem(png_claiming(1000, 1000)) is None


def test_a_passport_photo_bomb_is_one_clear_problem_not_a_server_error():
    from waiban.passports.photos import photo_problems

    started = time.monotonic()
    problems = photo_problems(BOMB_PNG)
    assert time.monotonic() - started < 0.5
    assert [p.code for p in problems] == ["image_too_many_pixels"]


def test_a_material_upload_bomb_is_refused_beside_the_file_field():
    from waiban.visits.uploads import inspect_upload

    with pytest.raises(ServiceError) as caught:
        inspect_upload(SimpleUploadedFile("scan.png", BOMB_PNG))
    assert caught.value.code == "image_too_many_pixels"
    assert caught.value.field == "file"


def test_a_bomb_sent_to_the_qr_reader_is_refused_before_decoding():
    from waiban.documents.qrimage import ImageRejected, qr_texts_from_image

    with pytest.raises(ImageRejected):
        qr_texts_from_image(BOMB_PNG)


# --- spreadsheets ---------------------------------------------------------------------------


def test_a_spreadsheet_that_unpacks_to_hundreds_of_megabytes_is_refused_before_reading(settings):
    settings.SPREADSHEET_MAX_UNPACKED_BYTES = 3 * 1048576
    bomb = xlsx_bomb(5)
    assert len(bomb) < 50_000
    started = time.monotonic()
    with pytest.raises(FileRejected, match="unpacks to 5 MB; at most 3 MB"):
        rows_of(bomb)
    assert time.monotonic() - started < 0.5


def test_a_spreadsheet_compressed_as_no_office_program_would_is_refused():
    started = time.monotonic()
    code, message = zip_unpacked_problem(xlsx_bomb(20))
    assert time.monotonic() - started < 0.5
    assert code == "upload_compression_ratio"
    assert "20 MB" in message


def test_an_ordinary_workbook_is_read():
    assert rows_of(xlsx_bytes([["name", "birth"], ["张三", "1980-01-01"]])) == [
        ("name", "birth"),
        ("张三", "1980-01-01"),
    ]


def test_a_sheet_declaring_a_million_rows_is_refused_before_any_row_is_read(settings):
    content = xlsx_bytes([["name"], ["张三"]], dimension="A1:B1048576")
    with pytest.raises(FileRejected, match="more than 200000 rows"):
        rows_of(content)


def test_a_sheet_reaching_column_xfd_is_refused(settings):
    content = xlsx_bytes([["name"], ["张三"]], dimension="A1:XFD2")
    with pytest.raises(FileRejected, match="16384 columns; at most 100"):
        rows_of(content)


def test_rows_past_the_limit_are_refused_even_when_the_sheet_declares_none(settings):
    settings.SPREADSHEET_MAX_ROWS = 3
    with pytest.raises(FileRejected, match="more than 3 rows"):
        rows_of(xlsx_bytes([["name"]] + [[f"p{i}"] for i in range(4)], dimension=""))
    assert len(rows_of(xlsx_bytes([["name"]] + [[f"p{i}"] for i in range(3)]))) == 4


def test_a_csv_past_the_row_limit_is_refused(settings):
    settings.SPREADSHEET_MAX_ROWS = 2
    content = b"name\na\nb\nc\n"
    with pytest.raises(FileRejected, match="more than 2 rows"):
        rows_of(content)


@pytest.mark.django_db
def test_the_people_import_reports_a_bomb_as_the_file_error(settings):
    from waiban.accounts.roles import Role
    from waiban.people.importing.reader import people_import
    from waiban.testing.factories import UnitFactory, UserFactory

    settings.SPREADSHEET_MAX_UNPACKED_BYTES = 3 * 1048576
    unit = UnitFactory()
    clerk = UserFactory(role=Role.UNIT_CLERK, unit=unit)
    report = people_import(
        actor=clerk, unit=unit, file=SimpleUploadedFile("people.xlsx", xlsx_bomb(5))
    )
    assert "unpacks to 5 MB" in report.file_error


# --- exports --------------------------------------------------------------------------------


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _sheet_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def test_an_export_keeps_formula_like_text_as_text():
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    book.active.append(FORMULAS)
    data = workbook_bytes(book)
    assert "<f>" not in _sheet_xml(data)
    cells = load_workbook(io.BytesIO(data)).active[1]
    assert [c.value for c in cells] == FORMULAS
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_the_custody_export_turns_no_name_into_a_formula():
    from openpyxl import load_workbook

    from waiban.passports.export import custody_workbook

    passport = SimpleNamespace(
        person=SimpleNamespace(
            name_zh='=HYPERLINK("http://evil","click")', unit=SimpleNamespace(name="@unit")
        ),
        get_kind_display=lambda: "official",
        number_masked="P1****23",
        expiry_date=None,
        get_status_display=lambda: "in custody",
    )
    data = custody_workbook(
        [SimpleNamespace(passport=passport, loan=None, colour="", overdue_days=0)]
    )
    assert "<f>" not in _sheet_xml(data)
    row = load_workbook(io.BytesIO(data)).active[2]
    assert row[0].value == '=HYPERLINK("http://evil","click")'
    assert row[0].data_type == "s"


def test_every_workbook_the_app_writes_goes_through_the_neutralising_save():
    """A new export that saves its workbook itself would skip the formula guard."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "spreadsheets.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "openpyxl" in text and ".save(" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
