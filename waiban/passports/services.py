"""Every status change of a passport: one keyword-only, atomic, audited service function each.

Each locks the row, checks the role, the office's scope and the allowed-transitions table, then
changes the status and writes the history row (PassportEvent) and the audit event together.
Lending and return, which also touch a Loan, are in ``waiban.passports.loans``.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.core.audit import audit_record
from waiban.core.crypto import blind_index
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.transitions import check_source_state, check_version, record_move
from waiban.passports.models import Passport, PassportEvent, ProductionRequest
from waiban.passports.mrz import mrz_parse
from waiban.passports.states import (
    ENDED_STATUSES,
    NUMBER_PREFIXES,
    TRANSITIONS,
    VALID_STATUSES,
    Kind,
    Status,
)


def check_officer_role(actor):
    """Only a passport officer acts on passports; the system acts as None."""
    if actor is not None and actor.role != Role.PASSPORT_OFFICER:
        raise PermissionDenied("wrong_role", _("Only a passport officer can do this."))


def check_officer(actor, authority_id):
    """Only a passport officer of the office (or one above it) acts; the system acts as None."""
    if actor is None:
        return
    check_officer_role(actor)
    if authority_id not in visible_authority_ids(actor):
        raise PermissionDenied("not_found", _("No such passport."))


STALE_PASSPORT = gettext_lazy(
    "Someone else acted on this passport while you were working (it is now: %(status)s). "
    "Review it and try again."
)


def lock(passport, actor, expected_version=None) -> Passport:
    """The passport locked until the transaction ends, after the officer's scope and the
    version the officer saw (None: nothing to compare, e.g. a daily job)."""
    locked = Passport.objects.select_for_update().select_related("person").get(pk=passport.pk)
    check_officer(actor, locked.authority_id)
    check_version(locked, expected_version, message=STALE_PASSPORT)
    return locked


# The shared refusal (waiban.core.transitions) in the words of a passport.
PASSPORT_NOT_NOW = gettext_lazy("This passport is %(status)s: “%(action)s” is not possible now.")


def move(locked, *, actor, action, delegation=None, comment="", old=None, new=None):
    """Check the transition, change the status, write history and audit (row lock held)."""
    transition = TRANSITIONS[action]
    check_source_state(locked, transition, message=PASSPORT_NOT_NOW, field="status")
    record_move(
        locked,
        actor=actor,
        action=action,
        target=transition.target,
        history=PassportEvent,
        audit_prefix="passport",
        field="status",
        old=old,
        new=new,
        passport=locked,
        delegation=delegation,
        comment=comment,
    )
    if locked.status in ENDED_STATUSES:
        _void_production_request(locked, actor=actor)
    return locked


VOID_REASONS = {
    Status.CANCELLED: "the passport was cancelled",
    Status.LOST: "the passport was reported lost",
}


def _void_production_request(passport, *, actor):
    """A cancelled or lost passport voids the request it was made for: its signed form is
    revoked in this same transaction."""
    from waiban.documents.services import passport_form_revoke

    request = ProductionRequest.objects.filter(passport=passport).first()
    if request is not None:
        passport_form_revoke(request=request, actor=actor, reason=VOID_REASONS[passport.status])


def check_number(kind, number, *, exclude_pk=None) -> str:
    """A well-formed number that no other passport carries; returns it normalised."""
    number = "".join((number or "").split()).upper()
    prefixes = NUMBER_PREFIXES.get(kind)
    if prefixes and not (
        len(number) == 9
        and any(number.startswith(p) and number[len(p) :].isdigit() for p in prefixes)
    ):
        raise ServiceError(
            "number_format",
            _("A %(kind)s number is %(prefixes)s followed by digits, 9 characters in all.")
            % {"kind": Kind(kind).label, "prefixes": " / ".join(prefixes)},
            field="number",
        )
    if not number:
        raise ServiceError("number_required", _("Enter the passport number."), field="number")
    taken = Passport.objects.filter(number_hash=blind_index(number)).exclude(pk=exclude_pk)
    if taken.exists():
        raise ServiceError(
            "number_taken",
            _("This passport number is already registered to another passport."),
            field="number",
        )
    return number


def check_one_passport(person, kind, *, exclude_pk=None, replacing=None):
    """One person holds at most one valid passport of each kind (the one-passport rule)."""
    held = Passport.objects.filter(person=person, kind=kind, status__in=VALID_STATUSES).exclude(
        pk__in=[pk for pk in (exclude_pk, getattr(replacing, "pk", None)) if pk]
    )
    if held.exists():
        raise ServiceError(
            "one_passport",
            _("%(name)s already holds a valid %(kind)s.")
            % {"name": person.name_zh, "kind": Kind(kind).label},
        )


def passport_register(
    *, actor, person, kind, number, expiry_date, issue_date=None, issuing_authority=""
) -> Passport:
    """Take an existing passport into the registry and into custody (集中保管)."""
    check_officer(actor, person.unit.authority_id)
    with transaction.atomic():
        number = check_number(kind, number)
        check_one_passport(person, kind)
        passport = Passport.objects.create(
            person=person,
            authority_id=person.unit.authority_id,
            kind=kind,
            number=number,
            number_hash=blind_index(number),
            issue_date=issue_date,
            expiry_date=expiry_date,
            issuing_authority=issuing_authority,
            status=Status.IN_CUSTODY,
        )
        PassportEvent.objects.create(
            passport=passport, actor=actor, action="register", to_status=Status.IN_CUSTODY
        )
        audit_record(
            actor=actor,
            action="passport.register",
            obj=passport,
            new={"status": passport.status, "kind": kind, "passport_number": number},
        )
        return passport


def passport_produce(*, passport, actor, expected_version=None) -> Passport:
    with transaction.atomic():
        return move(lock(passport, actor, expected_version), actor=actor, action="produce")


def mrz_differences(passport, mrz) -> list[dict]:
    """Where the MRZ and the record disagree: number, name, birth date, expiry."""
    person = passport.person
    record_name = f"{person.surname_pinyin}{person.given_name_pinyin}".replace(" ", "").upper()
    pairs = [
        ("number", _("passport number"), passport.number, mrz.number),
        ("name", _("name"), record_name, (mrz.surname + mrz.given_names).replace(" ", "")),
        ("birth_date", _("birth date"), person.birth_date, mrz.birth_date),
        ("expiry_date", _("expiry date"), passport.expiry_date, mrz.expiry_date),
    ]
    return [
        {"field": key, "label": str(label), "record": str(ours), "mrz": str(theirs)}
        for key, label, ours, theirs in pairs
        if ours and ours != theirs
    ]


def check_mrz_matches(passport, mrz) -> None:
    """Refuse a scanned passport whose MRZ disagrees with its record (check-in and return by
    scan both take a passport only on a match); each disagreement goes with the error."""
    differences = mrz_differences(passport, mrz)
    if differences:
        raise ServiceError(
            "mrz_mismatch",
            _("The MRZ does not match this passport's record: %(fields)s.")
            % {"fields": ", ".join(d["label"] for d in differences)},
            field="mrz",
            params={"differences": differences},
        )


def passport_check_in(
    *,
    passport,
    actor,
    mrz,
    issue_date=None,
    issuing_authority="",
    today=None,
    expected_version=None,
) -> Passport:
    """A produced passport arrives: read its MRZ, match it to the record, take it into custody.

    A malformed MRZ, a wrong check digit, a number another passport carries or any
    disagreement with the record raises a ServiceError and changes nothing.
    """
    parsed = mrz_parse(mrz)
    with transaction.atomic():
        locked = lock(passport, actor, expected_version)
        check_mrz_matches(locked, parsed)
        number = check_number(locked.kind, parsed.number, exclude_pk=locked.pk)
        today = today or timezone.localdate()
        if parsed.expiry_date is None or parsed.expiry_date <= today:
            raise ServiceError("expired", _("This passport has already expired."), field="mrz")
        locked.number, locked.number_hash = number, blind_index(number)
        locked.expiry_date = parsed.expiry_date
        locked.issue_date = issue_date or locked.issue_date
        locked.issuing_authority = issuing_authority or locked.issuing_authority
        replaced = locked.replaces
        if replaced and replaced.status in (Status.IN_CUSTODY, Status.EXPIRED):
            # The renewed passport replaces the old one, which is cancelled in the same step.
            move(lock(replaced, actor), actor=actor, action="cancel", comment="replaced")
        check_one_passport(locked.person, locked.kind, exclude_pk=locked.pk)
        return move(
            locked,
            actor=actor,
            action="check_in",
            new={"passport_number": number, "expiry_date": parsed.expiry_date},
        )


def passport_report_lost(
    *, passport, actor, comment="", today=None, expected_version=None
) -> Passport:
    """A loss cancels the passport and blocks its holder for a while (passport-return rule)."""
    with transaction.atomic():
        locked = lock(passport, actor, expected_version)
        locked.lost_on = today or timezone.localdate()
        return move(
            locked,
            actor=actor,
            action="report_lost",
            comment=comment,
            new={"lost_on": locked.lost_on},
        )


def passport_cancel(*, passport, actor, comment="", expected_version=None) -> Passport:
    with transaction.atomic():
        locked = lock(passport, actor, expected_version)
        return move(locked, actor=actor, action="cancel", comment=comment)


def passport_expire(*, passport, actor=None, today=None) -> Passport:
    with transaction.atomic():
        locked = lock(passport, actor)
        today = today or timezone.localdate()
        if locked.expiry_date is None or locked.expiry_date >= today:
            raise ServiceError("not_expired", _("This passport has not expired yet."))
        return move(locked, actor=actor, action="expire")


def passport_mark_overdue(*, passport, actor=None) -> Passport:
    with transaction.atomic():
        return move(lock(passport, actor), actor=actor, action="mark_overdue")
