"""Building control lists the way the office does: through the import service."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from waiban.watchlists.importing import control_list_import


def csv_file(rows, *, header=("姓名*", "出生日期", "身份证号", "备注", "来源"), name="list.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows, *, header=("姓名* / name", "出生日期 / birth_date", "身份证号 / id_number")):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("list.xlsx", out.getvalue())


def import_list(actor, rows, *, control_list=None, kind="not_allowed_to_exit", name="不准出境名单"):
    report = control_list_import(
        actor=actor,
        file=csv_file(rows),
        control_list=control_list,
        kind=kind,
        name=name,
        default_source="公安机关通报",
    )
    assert report.ok, (report.file_error, report.errors)
    return report
