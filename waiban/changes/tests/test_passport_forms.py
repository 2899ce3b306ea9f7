"""A member taken off the trip by a change: their passport application form is revoked, not
re-issued; the others' forms follow the new facts."""

from waiban.accounts.roles import Role
from waiban.changes import services
from waiban.changes.content import content_of
from waiban.documents.models import Document
from waiban.documents.tests.test_passport_form import photo
from waiban.passports.production import production_photo_upload, production_requests_create
from waiban.testing.factories import DelegationFactory, UserFactory


def test_a_removed_members_passport_form_is_revoked_and_not_replaced(
    signing_keys, unit, clerk, unit_head, staff, authority, django_capture_on_commit_callbacks
):
    case = DelegationFactory(unit=unit, created_by=clerk, approved=True, members=3)
    officer = UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)
    requests = production_requests_create(delegation=case, actor=officer)
    leaving = case.members.last().person
    staying = case.members.first().person
    by_person = {r.person_id: r for r in requests}
    for person in (leaving, staying):
        with django_capture_on_commit_callbacks(execute=True):
            production_photo_upload(request=by_person[person.pk], actor=clerk, uploaded=photo())
    current = content_of(case)
    new = {**current, "members": [m for m in current["members"] if m["person"] != leaving.pk]}
    change = services.change_request_propose(
        delegation=case, actor=clerk, reason="一人因病不去", content=new
    )
    services.change_request_confirm(change=change, actor=unit_head)
    services.change_request_accept(change=change, actor=staff["window_clerk"])
    services.change_request_review(change=change, actor=staff["reviewer"], opinion="同意")
    services.change_request_approve(change=change, actor=staff["division_head"])

    gone = Document.objects.filter(production_request=by_person[leaving.pk])
    assert gone.count() == 1 and gone.get().is_revoked
    kept = Document.objects.filter(production_request=by_person[staying.pk]).order_by("version")
    assert [(d.version, d.is_revoked) for d in kept] == [(1, True), (2, False)]
