"""The one-time correction notice enforced: each item is shown beside its field, resubmission
needs every item changed or explained, and the notice prints as an A4 page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from waiban.testing.factories import DelegationFactory, UnitFactory, UserFactory
from waiban.visits import workflow
from waiban.visits.models import CorrectionItem
from waiban.visits.states import State

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def sent_back(unit, clerk, staff):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    return workflow.delegation_send_back(
        delegation=case,
        actor=staff["window_clerk"],
        items=[("title", "团组名称应写明出访国家"), ("invitation", "邀请函须有签字")],
    )


def _resubmit(client, case, **extra):
    case.refresh_from_db()
    return client.post(
        reverse("visits:action", args=[case.pk, "resubmit"]), {"version": case.version, **extra}
    )


def test_nothing_changed_nothing_explained_is_refused_item_by_item(client, clerk, sent_back):
    client.force_login(clerk)
    page = client.get(reverse("visits:detail", args=[sent_back.pk])).content.decode()
    items = list(CorrectionItem.objects.order_by("pk"))
    assert all(f'data-correction-item="{i.pk}" data-changed="0"' in page for i in items)
    response = _resubmit(client, sent_back, **{f"explain-{items[0].pk}": "名称已与外办确认"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "邀请函须有签字" in html and "名称已与外办确认" in html  # said which; kept the text
    sent_back.refresh_from_db()
    assert sent_back.state == State.SENT_BACK


def test_a_changed_field_and_a_new_file_count_as_fixed(client, clerk, sent_back):
    client.force_login(clerk)
    sent_back.title = "赴德国经贸考察团"
    sent_back.save()
    upload = SimpleUploadedFile("邀请函（签字）.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("visits:attachment_upload", args=[sent_back.pk]),
        {"kind": "invitation", "file": upload},
    )
    page = client.get(reverse("visits:detail", args=[sent_back.pk])).content.decode()
    assert page.count('data-changed="1"') == 2
    assert _resubmit(client, sent_back).status_code == 302
    assert list(CorrectionItem.objects.values_list("changed", flat=True)) == [True, True]


def test_an_explanation_is_kept_with_the_item(client, clerk, sent_back):
    client.force_login(clerk)
    explain = {f"explain-{i.pk}": "经核实无需修改" for i in CorrectionItem.objects.all()}
    assert _resubmit(client, sent_back, **explain).status_code == 302
    assert set(CorrectionItem.objects.values_list("explanation", flat=True)) == {"经核实无需修改"}


def test_the_edit_form_shows_each_item_beside_its_field(client, clerk, sent_back):
    client.force_login(clerk)
    html = client.get(reverse("visits:edit", args=[sent_back.pk])).content.decode()
    assert 'data-fix="title"' in html and "团组名称应写明出访国家" in html


def test_the_notice_prints_with_the_office_the_date_and_a_deadline(
    client, clerk, sent_back, authority
):
    client.force_login(clerk)
    page = client.get(reverse("visits:correction_notice", args=[sent_back.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert authority.name in html and "邀请函须有签字" in html and sent_back.case_number in html
    other = UnitFactory(authority=authority)
    client.force_login(UserFactory(role="unit_clerk", unit=other))
    assert client.get(reverse("visits:correction_notice", args=[sent_back.pk])).status_code == 404
