"""New members are screened like a submission's; the people concerned are told of each step;
the re-issued papers print the change's reason."""

import copy
import datetime as dt

import pypdfium2
import pytest

from waiban.accounts.roles import Role
from waiban.changes import services
from waiban.changes.tests.conftest import shifted
from waiban.core.errors import ServiceError
from waiban.documents import services as documents
from waiban.documents.models import DocumentKind
from waiban.notices.models import Notice
from waiban.testing.factories import PersonFactory, UserFactory
from waiban.testing.outbox import deliver_outbox
from waiban.watchlists.models import ScreeningHit
from waiban.watchlists.services import screening_hit_decide
from waiban.watchlists.tests.helpers import import_list

BIRTH = dt.date(1965, 5, 5)


def _with_member(content, person):
    new = copy.deepcopy(content)
    new["members"].append(
        {"person": person.pk, "name": person.name_zh, "role": "member", "post": "", "rank": ""}
    )
    return new


def test_a_new_member_on_a_control_list_holds_the_change_until_a_reviewer_decides(
    approved_case, current, clerk, unit_head, staff
):
    import_list(staff["reviewer"], [["張偉", BIRTH.isoformat(), "", "通报", ""]])
    person = PersonFactory(
        unit=approved_case.unit,
        name_zh="张伟",
        surname_pinyin="ZHANG",
        given_name_pinyin="WEI",
        birth_date=BIRTH,
    )
    change = services.change_request_propose(
        delegation=approved_case,
        actor=clerk,
        reason="增加随员",
        content=_with_member(current, person),
    )
    hit = ScreeningHit.objects.get(delegation=approved_case, person=person)
    services.change_request_confirm(change=change, actor=unit_head)
    with pytest.raises(ServiceError) as error:
        services.change_request_accept(change=change, actor=staff["window_clerk"])
    assert error.value.code == "screening_not_cleared"
    screening_hit_decide(hit=hit, actor=staff["reviewer"], decision="cleared", reason="不同人")
    services.change_request_accept(change=change, actor=staff["window_clerk"])
    change.refresh_from_db()
    assert change.state == "under_review"


def _told() -> dict[int, set[str]]:
    deliver_outbox()
    told: dict[int, set[str]] = {}
    for notice in Notice.objects.filter(read_at=None):
        told.setdefault(notice.recipient_id, set()).add(notice.subject)
    Notice.objects.update(read_at="2000-01-01T00:00Z")
    return told


def test_each_step_tells_the_people_concerned(
    approved_case, current, clerk, unit_head, staff, authority
):
    officer = UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)
    removed = approved_case.members.last().person
    traveller = UserFactory(role=Role.TRAVELLER, person=removed, unit=approved_case.unit)
    new = shifted(current, 3)
    new["members"] = new["members"][:-1]

    change = services.change_request_propose(
        delegation=approved_case, actor=clerk, reason="一人因病不去", content=new
    )
    assert set(_told()) == {unit_head.pk}
    services.change_request_confirm(change=change, actor=unit_head)
    assert set(_told()) == {clerk.pk, staff["window_clerk"].pk}
    services.change_request_accept(change=change, actor=staff["window_clerk"])
    assert set(_told()) == {clerk.pk, staff["reviewer"].pk}
    services.change_request_review(change=change, actor=staff["reviewer"], opinion="同意")
    assert set(_told()) == {staff["division_head"].pk}
    services.change_request_approve(change=change, actor=staff["division_head"])
    # The removed member hears it too, and the passport office (the due dates moved).
    assert set(_told()) == {clerk.pk, unit_head.pk, traveller.pk, officer.pk}


def test_the_reissued_approval_document_prints_the_reason(
    signing_keys, approved_case, current, clerk, unit_head, staff
):
    documents.documents_issue(delegation=approved_case)
    new = copy.deepcopy(current)
    new["members"][0]["post"] = "处长（更正）"
    change = services.change_request_propose(
        delegation=approved_case, actor=clerk, reason="职务更正", content=new
    )
    services.change_request_confirm(change=change, actor=unit_head)
    services.change_request_record(change=change, actor=staff["window_clerk"])
    document = documents.current_documents(approved_case).get(kind=DocumentKind.APPROVAL)
    pdf = pypdfium2.PdfDocument(document.file.open("rb").read())
    text = "".join(page.get_textpage().get_text_range() for page in pdf).replace("\n", "")
    assert "职务更正" in text and "处长（更正）" in text
