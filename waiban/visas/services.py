"""Every write to an embassy batch: one keyword-only service each, atomic, with the history
row and the audit event in the same transaction (waiban.core.transitions).

A batch is made from the trip's visa needs for one embassy; its note (照会) is issued by the
worker once the request commits (waiban.visas.notes); sending needs a current note, the
courier and the day; each passport's result is recorded while the batch is out; the batch
comes back once every passport has its result.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.transitions import lock_for_move, record_move
from waiban.visas.models import Embassy, VisaApplication, VisaBatch, VisaBatchEvent
from waiban.visas.needs import trip_visas
from waiban.visas.states import BATCH_TRANSITIONS, BatchState, Entries, Result
from waiban.visits.models import Delegation

STALE = gettext_lazy(
    "Someone else acted on this batch while you were working (it is now: %(state)s). "
    "Review it and try again."
)
NOT_NOW = gettext_lazy("This batch is %(state)s: “%(action)s” is not possible now.")
NO_BATCH = gettext_lazy("No such visa batch.")
MAX_TEXT = 100


def can_see_batch(actor, batch) -> bool:
    return actor.role == Role.VISA_OFFICER and (
        batch.delegation.authority_id in visible_authority_ids(actor)
    )


def check_visa_officer(actor, delegation) -> None:
    if actor is None:
        return
    if actor.role != Role.VISA_OFFICER:
        raise PermissionDenied("wrong_role", _("Only the office's visa officers can do this."))
    if delegation.authority_id not in visible_authority_ids(actor):
        raise PermissionDenied("not_found", _("No such case."))


def _lock(batch, actor, action, expected_version):
    return lock_for_move(
        VisaBatch.objects.select_related("delegation", "embassy"),
        batch.pk,
        actor=actor,
        transition=BATCH_TRANSITIONS[action],
        expected_version=expected_version,
        can_see=can_see_batch,
        stale_message=STALE,
        not_now_message=NOT_NOW,
        not_found_message=NO_BATCH,
    )


def _move(locked, *, actor, action, comment="", old=None, new=None):
    return record_move(
        locked,
        actor=actor,
        action=action,
        target=BATCH_TRANSITIONS[action].target,
        history=VisaBatchEvent,
        audit_prefix="visa_batch",
        old=old,
        new=new,
        batch=locked,
        comment=comment,
    )


def visa_batch_create(*, delegation, embassy, actor) -> VisaBatch:
    """A batch of every member of the trip who needs a visa from this embassy and is in no
    other open batch for it. The note is issued by the worker once this commits."""
    from waiban.visas.notes import visa_note_issue_later

    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        check_visa_officer(actor, locked)
        if not locked.is_authorised:
            raise ServiceError(
                "not_approved", _("Visas are applied for once the trip is approved.")
            )
        embassy = Embassy.objects.filter(pk=getattr(embassy, "pk", embassy), is_active=True).first()
        if embassy is None:
            raise ServiceError("no_embassy", _("Choose an embassy."), field="embassy")
        if VisaBatch.objects.filter(
            delegation=locked, embassy=embassy, state__in=[BatchState.PREPARING, BatchState.SENT]
        ).exists():
            raise ServiceError(
                "batch_open",
                _("This trip already has an open batch for %(embassy)s.") % {"embassy": embassy},
            )
        needs = [
            n
            for n in trip_visas(locked).by_embassy.get(embassy, [])
            if n.application is None or n.application.result in (Result.REFUSED, Result.RETURNED)
        ]
        if not needs:
            raise ServiceError(
                "nothing_to_send",
                _("No member of this trip needs a visa from %(embassy)s now.")
                % {"embassy": embassy},
            )
        batch = VisaBatch.objects.create(delegation=locked, embassy=embassy, created_by=actor)
        seen = set()
        for position, need in enumerate(needs):
            if need.member.pk in seen:
                continue
            seen.add(need.member.pk)
            VisaApplication.objects.create(
                batch=batch,
                member=need.member,
                passport=need.passport,
                passport_kind=need.kind,
                position=position,
            )
        VisaBatchEvent.objects.create(
            batch=batch, actor=actor, action="create", to_state=BatchState.PREPARING
        )
        audit_record(
            actor=actor,
            action="visa_batch.create",
            obj=batch,
            new={"delegation": locked.pk, "embassy": embassy.pk, "members": sorted(seen)},
        )
        visa_note_issue_later(batch=batch, actor=actor)
        return batch


def visa_batch_send(
    *, batch, actor, courier: str, sent_on: dt.date, expected_back=None, expected_version=None
) -> VisaBatch:
    """The passports leave for the embassy with their note, by a courier, on a day."""
    from waiban.visas.needs import lead_times
    from waiban.visas.notes import visa_note_current

    courier = (courier or "").strip()
    if not courier:
        raise ServiceError("courier_required", _("Say who takes the passports."), field="courier")
    if len(courier) > MAX_TEXT:
        raise ServiceError("too_long", _("Keep it under 100 characters."), field="courier")
    if sent_on is None:
        raise ServiceError("date_required", _("Give the day they leave."), field="sent_on")
    today = timezone.localdate()
    if sent_on > today:
        raise ServiceError(
            "date_in_future", _("The day sent cannot be in the future."), field="sent_on"
        )
    with transaction.atomic():
        locked = _lock(batch, actor, "send", expected_version)
        missing = [
            a.member.person.name_zh
            for a in locked.applications.select_related("member__person").filter(passport=None)
        ]
        if missing:
            raise ServiceError(
                "passport_missing",
                _("No passport on record yet for %(names)s: register or produce it first.")
                % {"names": "、".join(missing)},
            )
        if visa_note_current(locked) is None:
            raise ServiceError(
                "note_missing", _("The visa note is not issued yet: wait a moment and reload.")
            )
        if expected_back is None:
            lead = lead_times(locked.delegation.authority_id, [locked.embassy])[locked.embassy.pk]
            expected_back = sent_on + dt.timedelta(days=lead.days)
        if expected_back < sent_on:
            raise ServiceError(
                "back_before_sent",
                _("The expected return cannot be before the day sent."),
                field="expected_back",
            )
        old = {"courier": locked.courier, "sent_on": None, "expected_back": None}
        locked.courier, locked.sent_on, locked.expected_back = courier, sent_on, expected_back
        new = {"courier": courier, "sent_on": sent_on, "expected_back": expected_back}
        return _move(locked, actor=actor, action="send", old=old, new=new)


RESULT_FIELDS = ("result", "valid_from", "valid_until", "entries", "stay_days", "decided_on")


def visa_result_record(
    *,
    application,
    actor,
    result: str,
    visa_number="",
    valid_from=None,
    valid_until=None,
    entries="",
    stay_days=None,
    decided_on=None,
    comment="",
    expected_version=None,
) -> VisaApplication:
    """What the embassy decided for one passport: granted (with the visa's number, validity,
    entries and stay), refused or returned. Recorded while the batch is at the embassy (or a
    correction once it is back); a history row of the batch and an audit event each time."""
    if result not in (Result.GRANTED, Result.REFUSED, Result.RETURNED):
        raise ServiceError("bad_result", _("Choose the embassy's decision."), field="result")
    visa_number = (visa_number or "").strip()
    if result == Result.GRANTED:
        if not visa_number:
            raise ServiceError(
                "visa_number_required", _("Give the visa's number."), field="visa_number"
            )
        if len(visa_number) > 30:
            raise ServiceError("too_long", _("A visa number is shorter."), field="visa_number")
        if valid_from is None or valid_until is None:
            raise ServiceError(
                "validity_required", _("Give the visa's validity."), field="valid_until"
            )
        if valid_until < valid_from:
            raise ServiceError(
                "validity_reversed",
                _("The visa cannot end before it starts."),
                field="valid_until",
            )
        if entries not in Entries.values:
            raise ServiceError("entries_required", _("Choose the entries."), field="entries")
    else:
        visa_number, valid_from, valid_until, entries, stay_days = "", None, None, "", None
    with transaction.atomic():
        row = VisaApplication.objects.filter(pk=application.pk).first()
        if row is None:
            raise PermissionDenied("not_found", NO_BATCH)
        locked = (
            VisaBatch.objects.select_for_update().select_related("delegation").get(pk=row.batch_id)
        )
        if actor is None or not can_see_batch(actor, locked):
            raise PermissionDenied("not_found", str(NO_BATCH))
        if expected_version not in (None, "") and str(locked.version) != str(expected_version):
            raise ServiceError("stale_version", STALE % {"state": locked.get_state_display()})
        if locked.state not in (BatchState.SENT, BatchState.BACK):
            raise ServiceError(
                "not_sent",
                _("Results are recorded once the passports are at the embassy."),
            )
        old = {name: getattr(row, name) for name in RESULT_FIELDS}
        row.result, row.visa_number = result, visa_number
        row.valid_from, row.valid_until, row.entries = valid_from, valid_until, entries
        row.stay_days = stay_days
        row.decided_on = decided_on or timezone.localdate()
        row.comment = (comment or "").strip()
        row.save()
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        VisaBatchEvent.objects.create(
            batch=locked,
            actor=actor,
            action="result",
            from_state=locked.state,
            to_state=locked.state,
            comment=f"{row.member.person.name_zh}: {row.get_result_display()}",
        )
        new = {name: getattr(row, name) for name in RESULT_FIELDS}
        # The visa's number is personal data: the audit says it changed, not what it is.
        audit_record(
            actor=actor,
            action="visa_batch.result",
            obj=locked,
            old={"application": row.pk, **old},
            new={"application": row.pk, "visa_number": "[set]" if visa_number else "", **new},
        )
        return row


def visa_batch_receive(*, batch, actor, back_on: dt.date, expected_version=None) -> VisaBatch:
    """The passports are back from the embassy, every one with its result."""
    if back_on is None:
        raise ServiceError("date_required", _("Give the day they came back."), field="back_on")
    with transaction.atomic():
        locked = _lock(batch, actor, "receive", expected_version)
        if back_on > timezone.localdate():
            raise ServiceError(
                "date_in_future", _("The day back cannot be in the future."), field="back_on"
            )
        if locked.sent_on and back_on < locked.sent_on:
            raise ServiceError(
                "back_before_sent",
                _("The day back cannot be before the day sent (%(date)s).")
                % {"date": locked.sent_on.isoformat()},
                field="back_on",
            )
        if locked.applications.filter(result=Result.PENDING).exists():
            raise ServiceError("results_missing", _("Record every passport's result first."))
        locked.back_on = back_on
        return _move(
            locked, actor=actor, action="receive", old={"back_on": None}, new={"back_on": back_on}
        )


def visa_batch_cancel(*, batch, actor, reason: str, expected_version=None) -> VisaBatch:
    """The batch will not go (or was withdrawn from the embassy): its note is revoked."""
    from waiban.visas.notes import visa_note_revoke

    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Say why the batch is cancelled."), field="reason")
    with transaction.atomic():
        locked = _lock(batch, actor, "cancel", expected_version)
        visa_note_revoke(batch=locked, actor=actor, reason=reason)
        return _move(locked, actor=actor, action="cancel", comment=reason[:1000])
