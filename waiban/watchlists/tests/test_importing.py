import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from waiban.accounts.roles import Role
from waiban.core.errors import PermissionDenied
from waiban.core.models import AuditEvent
from waiban.testing.factories import UserFactory
from waiban.testing.ids import make_id_number
from waiban.watchlists.importing import control_list_import
from waiban.watchlists.models import ControlList, EntryChange, ListEntry
from waiban.watchlists.tests.helpers import csv_file, import_list, xlsx_file

GOOD_ID = make_id_number(birth=dt.date(1970, 3, 4), sex="M")


def _import(actor, file, **kwargs):
    kwargs.setdefault("kind", "fugitive")
    kwargs.setdefault("name", "外逃人员名单")
    return control_list_import(actor=actor, file=file, **kwargs)


@pytest.mark.django_db
def test_the_report_names_the_row_the_column_and_the_problem_and_nothing_is_imported(staff):
    bad_check = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")
    file = csv_file(
        [
            ["张伟", "1970-03-04", GOOD_ID, "", ""],
            ["", "1970-01-01", "", "", ""],
            ["李娜", "31/02/1970", "", "", ""],
            ["王芳", "", bad_check, "", ""],
            ["赵磊", "1971-01-01", GOOD_ID, "", ""],
        ]
    )

    report = _import(staff["reviewer"], file)

    problems = [(p.row, p.column) for p in report.errors]
    assert problems == [
        (3, "姓名*"),
        (4, "出生日期"),
        (5, "身份证号"),
        (6, "出生日期"),  # the birth date contradicts the number
    ]
    messages = " ".join(p.message for p in report.errors)
    assert "name is missing" in messages and "not a date we can read" in messages
    assert "check character" in messages and "does not match the one inside" in messages
    assert not ControlList.objects.exists() and not ListEntry.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_id_number_in_the_file_is_reported_on_its_row(staff):
    report = _import(
        staff["reviewer"],
        csv_file([["张伟", "", GOOD_ID, "", ""], ["張偉", "", GOOD_ID.lower(), "", ""]]),
    )

    [problem] = report.errors
    assert (problem.row, problem.column) == (3, "身份证号")
    assert "already on row 2" in problem.message


@pytest.mark.django_db
def test_an_excel_sheet_is_read_and_an_18_digit_number_typed_as_a_number_is_refused(staff):
    report = _import(
        staff["reviewer"],
        xlsx_file([["张伟", dt.date(1970, 3, 4), GOOD_ID], ["李娜", None, 450103197003041234]]),
    )

    [problem] = report.errors
    assert (problem.row, problem.column) == (3, "身份证号 / id_number")
    assert "rounded" in problem.message

    report = _import(staff["reviewer"], xlsx_file([["张伟", dt.date(1970, 3, 4), GOOD_ID]]))
    assert report.ok and report.list_import.added == 1


@pytest.mark.django_db
def test_a_gbk_csv_from_wps_is_read(staff):
    content = "姓名,出生日期\n张伟,1970-03-04\n".encode("gb18030")
    report = _import(staff["reviewer"], SimpleUploadedFile("list.csv", content))

    assert report.ok
    assert ListEntry.objects.get().name == "张伟"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old-style Excel"),
        ("备注,来源\n甲,乙\n".encode(), "name column"),
    ],
)
def test_an_unusable_file_is_refused_with_a_reason(staff, content, expected):
    report = _import(staff["reviewer"], SimpleUploadedFile("x.csv", content))

    assert expected in report.file_error


@pytest.mark.django_db
def test_each_import_is_a_new_version_and_keeps_the_history(staff):
    reviewer = staff["reviewer"]
    first = import_list(
        reviewer, [["张伟", "1970-03-04", "", "", ""], ["李娜", "1971-01-01", "", "", ""]]
    )
    control_list = first.list_import.control_list
    second = import_list(
        reviewer, [["张伟", "1970-03-04", "", "改了备注", ""]], control_list=control_list
    )
    third = import_list(
        reviewer,
        [["张伟", "1970-03-04", "", "改了备注", ""], ["李娜", "1971-01-01", "", "", ""]],
        control_list=control_list,
    )

    counts = [
        (
            r.list_import.version,
            r.list_import.added,
            r.list_import.updated,
            r.list_import.deactivated,
            r.list_import.restored,
        )
        for r in (first, second, third)
    ]
    assert counts == [(1, 2, 0, 0, 0), (2, 0, 1, 1, 0), (3, 0, 0, 0, 1)]
    li_na = ListEntry.objects.get(name="李娜")
    assert li_na.is_active and ListEntry.objects.count() == 2
    assert list(li_na.changes.values_list("change", "list_import__version")) == [
        (EntryChange.Change.ADDED, 1),
        (EntryChange.Change.DEACTIVATED, 2),
        (EntryChange.Change.RESTORED, 3),
    ]
    events = AuditEvent.objects.filter(action="watchlists.list_import").order_by("id")
    assert [e.new_values["version"] for e in events] == [1, 2, 3]
    assert all(e.actor_id == reviewer.pk for e in events)
    assert "张伟" not in repr(list(events.values_list("new_values", flat=True)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [Role.UNIT_CLERK, Role.WINDOW_CLERK, Role.APPROVER, Role.PASSPORT_OFFICER, Role.SYS_ADMIN],
)
def test_only_reviewers_and_supervisors_import_lists(authority, role):
    actor = UserFactory(role=role, authority=authority)

    with pytest.raises(PermissionDenied) as exc:
        _import(actor, csv_file([["张伟", "1970-03-04", "", "", ""]]))

    assert exc.value.code == "not_list_manager"


@pytest.mark.django_db
def test_another_office_cannot_import_into_a_list_it_does_not_keep(staff):
    report = import_list(staff["reviewer"], [["张伟", "1970-03-04", "", "", ""]])
    stranger = UserFactory(role=Role.SUPERVISOR)

    with pytest.raises(PermissionDenied):
        control_list_import(
            actor=stranger,
            file=csv_file([["李娜", "1970-03-04", "", "", ""]]),
            control_list=report.list_import.control_list,
        )
