"""An annual plan's moves tell the office when it arrives and the unit when it is decided."""

import pytest

from waiban.notices.models import Notice
from waiban.testing.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


def _told(*users):
    deliver_outbox()
    return {user.pk for user in users if Notice.objects.filter(recipient=user).exists()}


def test_submission_tells_the_reviewers_and_a_return_tells_the_unit(
    make_plan, clerk, unit_head, staff
):
    make_plan(state="submitted")
    assert _told(staff["reviewer"], clerk, unit_head) == {staff["reviewer"].pk}
    Notice.objects.all().delete()

    plan = make_plan(state="returned", year=2028)
    assert _told(clerk, unit_head) == {clerk.pk, unit_head.pk}
    notice = Notice.objects.filter(recipient=clerk).latest("id")
    assert "2028" in notice.subject and notice.link == f"/plans/{plan.pk}/"
