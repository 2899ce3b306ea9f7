"""An approved change takes effect: the case's content becomes the new version (the old one
kept readable), the documents are re-issued with the change's reason and the old ones revoked,
and the lent passports' due dates follow the new return date at once. Called by the change
workflow (waiban.changes.services) inside its transaction."""

from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from waiban.changes import content as contents
from waiban.changes.models import ContentVersion
from waiban.core.audit import audit_record
from waiban.core.errors import StateConflict
from waiban.visits.models import Delegation
from waiban.visits.states import State

# The case states a change may be proposed in and applied to: approved, or under way.
CHANGEABLE_STATES = frozenset({State.APPROVED, State.TRAVELLING})


def lock_changeable_case(delegation_id) -> Delegation:
    locked = Delegation.objects.select_for_update().get(pk=delegation_id)
    if locked.state not in CHANGEABLE_STATES:
        raise StateConflict(
            "case_not_authorised",
            _("Only an approved trip, or one under way, can be changed (this case is %(state)s).")
            % {"state": locked.get_state_display()},
        )
    return locked


def content_version_number(delegation) -> int:
    """The number of the content in force: 1 until a change was applied."""
    found = ContentVersion.objects.filter(delegation=delegation).aggregate(n=Max("number"))["n"]
    return found or 1


def keep_first_version(locked) -> None:
    """The content as first approved, kept before any change can replace it."""
    if not ContentVersion.objects.filter(delegation=locked).exists():
        ContentVersion.objects.create(
            delegation=locked, number=1, content=contents.content_of(locked)
        )


def apply_change(locked, *, actor) -> dict:
    """The change becomes the case's content, as a new version (the old one stays readable);
    the documents are re-issued with the change's reason, the old ones revoked; the lent
    passports' due dates follow the new return date at once."""
    from waiban.documents.services import current_documents, documents_reissue
    from waiban.passports.loans import loans_refresh_due

    case = lock_changeable_case(locked.delegation_id)
    number = content_version_number(case)
    if locked.base_version != number:
        raise StateConflict(
            "change_superseded",
            _("Another change was applied to this case meanwhile: propose this one again."),
        )
    before = contents.content_of(case)
    contents.content_write(case, locked.content)
    case.version += 1  # a form opened on the old content is stale now
    case.save(update_fields=["version"])
    ContentVersion.objects.create(
        delegation=case, number=number + 1, content=locked.content, change=locked
    )
    if locked.invitation_id:
        case.attachments.filter(kind=locked.invitation.kind, is_current=True).update(
            is_current=False
        )
        case.attachments.filter(pk=locked.invitation_id).update(is_current=True)
    audit_record(
        actor=actor,
        action="delegation.amend",
        obj=case,
        old={"content_version": number, **{c["field"]: c["old"] for c in locked.changes}},
        new={"content_version": number + 1, **{c["field"]: c["new"] for c in locked.changes}},
    )
    with translation.override("zh-hans"):  # printed on the papers, which are Chinese
        reason = _("Change of %(date)s: %(reason)s") % {
            "date": timezone.localdate().isoformat(),
            "reason": locked.reason,
        }
    reissued = []
    if current_documents(case).exists():
        reissued = documents_reissue(
            delegation=case, actor=actor, reason=reason[:200], by_workflow=True
        )
    moved_loans = loans_refresh_due(delegation=case, actor=actor)
    locked.decided_at = timezone.now()
    return {
        "content_version": number + 1,
        "documents_reissued": [d.document_id for d in reissued],
        "loans_moved": moved_loans,
        "before": {k: before[k] for k in ("members", "stops", "budget")},
    }
