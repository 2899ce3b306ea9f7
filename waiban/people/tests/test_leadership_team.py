"""A unit's leadership team (领导班子) is entered by the clerk, on the person form and in the
import sheet, and two of its members on one draft bring up the same-leadership rule."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from waiban.core.models import AuditEvent
from waiban.people.importing import COLUMNS
from waiban.people.models import Person
from waiban.rules.selectors import draft_findings
from waiban.testing.factories import PersonFactory
from waiban.testing.ids import make_id_number
from waiban.visits.models import Delegation

pytestmark = pytest.mark.django_db

TEAM_HEADER = "领导班子成员 / in_leadership_team"


def checkbox(html, name) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def person_post(name, *, birth, sex="M", **extra):
    return {
        "name_zh": name,
        "sex": sex,
        "birth_date": birth.isoformat(),
        "id_number": make_id_number(birth=birth, sex=sex, area="450103"),
        "post": "厅长",
        "rank": "bureau_full",
        "secret_level": "none",
        **extra,
    }


def sheet(rows):
    """An import sheet with the template's headers; ``rows`` are dicts by column key."""
    workbook = openpyxl.Workbook()
    workbook.active.append([c.header for c in COLUMNS])
    for row in rows:
        workbook.active.append([row.get(c.key) for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("people.xlsx", out.getvalue())


def import_row(name, *, birth, team):
    return {
        "name_zh": name,
        "id_number": make_id_number(birth=birth, sex="M", area="450103"),
        "post": "副厅长",
        "rank": "厅局级副职",
        "in_leadership_team": team,
    }


def draft_post(people):
    """The application form with these members and a 4-day trip to Germany in six weeks."""
    start = timezone.localdate() + dt.timedelta(days=45)
    data = {
        "title": "赴德国经贸考察",
        "task_type": "business_talks",
        "purpose": "经贸洽谈",
        "inviting_organisation": "德中经济联合会",
        "inviting_organisation_kind": "counterpart",
        "funding_source": "fiscal",
        "members-TOTAL_FORMS": str(len(people)),
        "members-INITIAL_FORMS": "0",
        "stops-TOTAL_FORMS": "1",
        "stops-INITIAL_FORMS": "0",
        "stops-0-country": "DE",
        "stops-0-city": "柏林",
        "stops-0-arrival_date": start.isoformat(),
        "stops-0-departure_date": (start + dt.timedelta(days=3)).isoformat(),
        "budget-air_fare": "30000",
        "budget-lodging": "12000",
    }
    for i, person in enumerate(people):
        data[f"members-{i}-person"] = str(person.pk)
        data[f"members-{i}-role"] = "leader" if i == 0 else "member"
    return data


def test_the_clerk_ticks_a_leader_on_the_form_and_can_untick_it_again(client, clerk, unit):
    client.force_login(clerk)
    form = client.get(reverse("people:create")).content.decode()
    assert 'type="checkbox"' in checkbox(form, "in_leadership_team")
    assert "checked" not in checkbox(form, "in_leadership_team")
    data = person_post("张厅长", birth=dt.date(1968, 3, 2), in_leadership_team="on")
    assert client.post(reverse("people:create"), data).status_code == 302
    leader = Person.objects.get(unit=unit)
    assert leader.in_leadership_team is True
    listing = client.get(reverse("people:list")).content.decode()
    assert listing.count("data-leadership-team") == 1

    edit = client.get(reverse("people:edit", args=[leader.pk])).content.decode()
    assert "checked" in checkbox(edit, "in_leadership_team")
    del data["in_leadership_team"]  # an unticked box is not sent at all
    data["version"] = leader.version
    assert client.post(reverse("people:edit", args=[leader.pk]), data).status_code == 302
    leader.refresh_from_db()
    assert leader.in_leadership_team is False
    audit = AuditEvent.objects.get(action="person.update", object_id=str(leader.pk))
    assert audit.old_values == {"in_leadership_team": True}
    assert audit.new_values == {"in_leadership_team": False}


def test_the_import_sheet_has_the_column_and_reads_yes_no_and_reports_anything_else(
    client, clerk, unit
):
    client.force_login(clerk)
    template = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("people:import_template")).content)
    ).worksheets[0]
    headers = [cell.value for cell in template[1]]
    assert TEAM_HEADER in headers
    letter = openpyxl.utils.get_column_letter(headers.index(TEAM_HEADER) + 1)
    lists = {
        str(v.sqref).split(":")[0]: v.formula1 for v in template.data_validations.dataValidation
    }
    assert lists[f"{letter}2"] == '"是,否"'

    rows = [
        import_row("李副厅长", birth=dt.date(1970, 5, 6), team="是"),
        import_row("王副厅长", birth=dt.date(1971, 5, 6), team="否"),
        import_row("赵处长", birth=dt.date(1980, 5, 6), team=None),
        import_row("钱处长", birth=dt.date(1981, 5, 6), team="也许"),
    ]
    page = client.post(reverse("people:import"), {"file": sheet(rows)})
    assert page.status_code == 200
    report = page.context["report"]
    assert [(p.row, p.column) for p in report.errors] == [(5, TEAM_HEADER)]
    saved = dict(Person.objects.filter(unit=unit).values_list("name_zh", "in_leadership_team"))
    assert saved == {"李副厅长": True, "王副厅长": False, "赵处长": False}


def test_two_leaders_entered_by_form_and_import_on_one_draft_need_a_justification(
    client, clerk, unit
):
    client.force_login(clerk)
    client.post(
        reverse("people:create"),
        person_post("张厅长", birth=dt.date(1968, 3, 2), in_leadership_team="on"),
    )
    client.post(
        reverse("people:import"),
        {"file": sheet([import_row("李副厅长", birth=dt.date(1970, 5, 6), team="是")])},
    )
    head, deputy = Person.objects.filter(unit=unit, in_leadership_team=True).order_by("id")
    staff = PersonFactory(unit=unit, name_zh="赵处长")

    # one leader with staff: nothing; both leaders: the warning, while typing and once saved
    live = client.post(reverse("rules:live"), draft_post([head, staff])).json()
    assert "same-leadership" not in [f["code"] for f in live["findings"]]
    live = client.post(reverse("rules:live"), draft_post([head, deputy, staff])).json()
    [finding] = [f for f in live["findings"] if f["code"] == "same-leadership"]
    assert finding["severity"] == "warn" and finding["key"] == f"same-leadership:{unit.pk}"
    assert "张厅长、李副厅长" in finding["message"] and unit.name in finding["message"]

    assert (
        client.post(reverse("visits:create"), draft_post([head, deputy, staff])).status_code == 302
    )
    delegation = Delegation.objects.get()
    page = client.get(reverse("visits:edit", args=[delegation.pk])).content.decode()
    assert 'data-finding="same-leadership" data-severity="warn"' in page
    [saved] = [f for f in draft_findings(delegation) if f.code == "same-leadership"]
    assert saved.data == {"people": [head.pk, deputy.pk]}
