import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.core.errors import PermissionDenied
from waiban.core.models import AuditEvent
from waiban.people.importing import COLUMNS, EXAMPLE_ID, people_import
from waiban.people.models import Person
from waiban.testing.factories import PersonFactory, UserFactory
from waiban.testing.ids import make_id_number

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]


def xlsx(rows, headers=HEADERS, name="people.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(key) for key in KEYS] if isinstance(row, dict) else row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def row(**overrides):
    birth = overrides.pop("birth", dt.date(1975, 4, 9))
    sex = overrides.pop("sex_of_id", "M")
    data = {
        "name_zh": "曾国藩",
        "id_number": make_id_number(birth=birth, sex=sex, area="450103"),
        "post": "处长",
        "rank": "县处级正职",
        "phone": "13800138000",
    }
    data.update(overrides)
    return data


def header_of(key):
    return next(c.header for c in COLUMNS if c.key == key)


def test_good_rows_are_saved_and_bad_rows_are_reported_by_row_and_column(clerk, unit):
    good = row()
    bad_check = row(name_zh="李娜", sex_of_id="F")
    bad_check["id_number"] = bad_check["id_number"][:17] + (
        "0" if bad_check["id_number"][17] != "0" else "1"
    )
    bad_rank = row(name_zh="王芳", sex_of_id="F", rank="局长级")
    report = people_import(actor=clerk, unit=unit, file=xlsx([good, bad_check, bad_rank]))

    assert [r for r, _ in report.created] == [2]
    assert Person.objects.get(unit=unit).surname_pinyin == "ZENG"  # suggested from the name
    problems = {(p.row, p.column) for p in report.errors}
    assert problems == {(3, header_of("id_number")), (4, header_of("rank"))}
    rank_problem = next(p for p in report.errors if p.row == 4)
    assert "局长级" in rank_problem.message and "县处级正职" in rank_problem.message
    assert AuditEvent.objects.filter(action="person.create", actor=clerk).count() == 1


def test_birth_date_and_sex_left_empty_are_taken_from_the_id_number(clerk, unit):
    report = people_import(
        actor=clerk, unit=unit, file=xlsx([row(birth=dt.date(1990, 12, 31), sex_of_id="F")])
    )
    assert report.ok
    person = Person.objects.get(unit=unit)
    assert (person.birth_date, person.sex) == (dt.date(1990, 12, 31), "F")


def test_a_birth_date_or_sex_that_disagrees_with_the_id_number_is_reported(clerk, unit):
    report = people_import(
        actor=clerk,
        unit=unit,
        file=xlsx(
            [
                row(sex="女"),
                row(name_zh="赵磊", birth=dt.date(1980, 1, 2), birth_date=dt.date(1980, 1, 3)),
            ]
        ),
    )
    assert {(p.row, p.column) for p in report.errors} == {
        (2, header_of("sex")),
        (3, header_of("birth_date")),
    }
    assert not Person.objects.exists()


def test_an_old_15_digit_number_is_accepted_and_converted(clerk, unit):
    report = people_import(actor=clerk, unit=unit, file=xlsx([row(id_number="450103750409123")]))
    assert report.ok, report.errors
    assert len(Person.objects.get(unit=unit).id_number) == 18


def test_duplicates_inside_the_file_and_already_registered_numbers_are_reported(clerk, unit):
    mine = PersonFactory(unit=unit)
    elsewhere = PersonFactory()
    twice = row()
    report = people_import(
        actor=clerk,
        unit=unit,
        file=xlsx(
            [
                twice,
                dict(twice, name_zh="曾纪泽"),
                row(name_zh="黄丽", id_number=mine.id_number),
                row(name_zh="杨帆", id_number=elsewhere.id_number),
            ]
        ),
    )
    assert [r for r, _ in report.created] == [2]
    messages = {p.row: p.message for p in report.errors}
    assert set(messages) == {3, 4, 5}
    assert "row 2" in messages[3]
    assert mine.name_zh in messages[4]
    assert "another unit" in messages[5]
    assert Person.objects.count() == 3


def test_an_id_number_excel_rounded_into_a_number_is_reported(clerk, unit):
    report = people_import(actor=clerk, unit=unit, file=xlsx([row(id_number=450103197504091234.0)]))
    assert report.errors[0].column == header_of("id_number")
    assert "Text" in report.errors[0].message


def test_a_sheet_without_the_required_headers_is_refused_as_a_whole(clerk, unit):
    report = people_import(
        actor=clerk, unit=unit, file=xlsx([["张伟", "处长"]], headers=["名字", "职位"])
    )
    assert "姓名" in report.file_error and "身份证号" in report.file_error
    assert not Person.objects.exists()


def test_headers_in_chinese_only_are_understood(clerk, unit):
    headers = ["姓名", "身份证号", "职务", "职级"]
    data = row()
    report = people_import(
        actor=clerk,
        unit=unit,
        file=xlsx([[data["name_zh"], data["id_number"], data["post"], data["rank"]]], headers),
    )
    assert report.ok, report.errors
    assert Person.objects.filter(unit=unit).count() == 1


def test_only_the_units_clerk_may_import(unit, unit_head):
    with pytest.raises(PermissionDenied):
        people_import(actor=unit_head, unit=unit, file=xlsx([row()]))


def test_the_template_downloads_and_opens_with_openpyxl_and_imports_nothing_as_is(
    client, clerk, unit
):
    client.force_login(clerk)
    response = client.get(reverse("people:import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.cell(row=2, column=KEYS.index("id_number") + 1).value == EXAMPLE_ID
    assert sheet.data_validations.dataValidation  # drop-down lists for sex, rank, ...

    upload = SimpleUploadedFile("template.xlsx", content)
    report = people_import(actor=clerk, unit=unit, file=upload)
    assert not report.created and not report.errors
    assert report.skipped[0].row == 2


def test_the_import_page_shows_the_row_by_row_report(client, clerk, unit):
    client.force_login(clerk)
    bad = row(name_zh="", sex_of_id="F")
    response = client.post(reverse("people:import"), {"file": xlsx([row(), bad])})
    assert response.status_code == 200
    html = response.content.decode()
    assert "曾国藩" in html
    assert header_of("name_zh") in html
    assert Person.objects.filter(unit=unit).count() == 1
    report = response.context["report"]
    assert [(p.row, p.column) for p in report.errors] == [(3, header_of("name_zh"))]


def test_a_renamed_pdf_gets_a_clear_message_not_an_error_page(client, clerk):
    client.force_login(clerk)
    pdf = SimpleUploadedFile("people.xlsx", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    response = client.post(reverse("people:import"), {"file": pdf})
    assert response.status_code == 200
    assert "not an Excel workbook" in response.context["form"].errors["file"][0]
    assert 'data-field-error="file"' in response.content.decode()


def test_a_damaged_zip_gets_the_same_clear_message(client, clerk):
    client.force_login(clerk)
    broken = SimpleUploadedFile("people.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    response = client.post(reverse("people:import"), {"file": broken})
    assert response.status_code == 200
    assert "not an Excel workbook" in response.context["form"].errors["file"][0]


def test_only_the_clerk_sees_the_import_page(client, unit_head):
    client.force_login(unit_head)
    assert client.get(reverse("people:import")).status_code == 404
    other_clerk = UserFactory(role=Role.UNIT_CLERK)
    client.force_login(other_clerk)
    assert client.get(reverse("people:import")).status_code == 200
