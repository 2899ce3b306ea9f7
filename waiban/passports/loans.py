"""Lending a passport for a trip, its return, and the due date that follows the trip's dates.

The due date is the delegation's return date + N days, N from the ``passport-return`` rule in
force (7 by default, configurable per office as a rule version). When the approved dates change,
``loans_refresh_due`` recomputes it; the daily ``passports_remind`` command also calls it, so a
change made anywhere is picked up by the next morning at the latest.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.passports.models import Loan
from waiban.passports.mrz import mrz_parse
from waiban.passports.services import check_mrz_matches, lock, move
from waiban.visits.models import ApprovalStep
from waiban.visits.moves import check_screening_cleared

DEFAULT_RETURN_DAYS = 7


def return_days(authority_id, on: dt.date) -> int:
    from waiban.rules.engine import versions_in_force

    version = versions_in_force(authority_id=authority_id, on=on).get("passport-return")
    return int(version.params.get("return_days", DEFAULT_RETURN_DAYS)) if version else 7


def due_date_for(delegation, *, on=None) -> dt.date | None:
    if delegation.return_date is None:
        return None
    on = on or timezone.localdate()
    return delegation.return_date + dt.timedelta(days=return_days(delegation.authority_id, on))


def check_not_approver(actor, delegation):
    """Separation of duties (DESIGN §1): whoever approved the trip cannot hand out its passport."""
    if actor and ApprovalStep.objects.filter(delegation=delegation, decided_by=actor).exists():
        raise PermissionDenied(
            "separation_of_duties",
            _("You approved this trip, so you cannot produce or lend its passports."),
        )


def lock_trip(delegation):
    """The trip's row, locked before any passport (the order cancelling a trip takes too): a
    trip cancelled or closed meanwhile cannot have a passport lent or produced for it."""
    from waiban.visits.models import Delegation

    return Delegation.objects.select_for_update().get(pk=delegation.pk)


def check_fits_trip(passport, delegation, *, today) -> None:
    """The document fits the trip (an HK/Macao permit for a trip only to Hong Kong or Macao, a
    passport for the rest), the trip is not over, and the holder has no other document out for
    it (one person, one document per trip)."""
    from waiban.passports.facts import kinds_needed
    from waiban.passports.states import Kind

    if delegation.return_date and delegation.return_date < today:
        raise ServiceError(
            "trip_over",
            _("This trip ended on %(date)s: nothing is lent for it any more.")
            % {"date": delegation.return_date.isoformat()},
        )
    kinds = kinds_needed([s.country.code for s in delegation.stops.all()])
    if passport.kind not in kinds:
        if Kind.HK_MACAO_PERMIT in kinds:
            message = _("This trip goes only to Hong Kong or Macao: lend the holder's permit.")
        else:
            message = _("This trip goes beyond Hong Kong and Macao: lend the holder's passport.")
        raise ServiceError("wrong_kind", message)
    if (
        Loan.objects.filter(
            delegation=delegation, passport__person_id=passport.person_id, returned_at=None
        )
        .exclude(passport=passport)
        .exists()
    ):
        raise ServiceError(
            "one_per_trip",
            _("The holder already has another document out for this trip."),
        )


def passport_lend(
    *, passport, actor, delegation, taken_by, today=None, expected_version=None
) -> Loan:
    """Hand a passport in custody to a member's unit for an approved trip."""
    today = today or timezone.localdate()
    with transaction.atomic():
        delegation = lock_trip(delegation)
        locked = lock(passport, actor, expected_version)
        check_not_approver(actor, delegation)
        if not delegation.is_authorised:
            raise ServiceError(
                "trip_not_approved", _("Passports are lent only for an approved trip.")
            )
        check_screening_cleared(delegation, actor)
        if not delegation.members.filter(person_id=locked.person_id).exists():
            raise ServiceError("not_a_member", _("The holder is not a member of this delegation."))
        if not (taken_by or "").strip():
            raise ServiceError(
                "taken_by_required", _("Enter who takes the passport."), field="taken_by"
            )
        check_fits_trip(locked, delegation, today=today)
        if (
            locked.expiry_date
            and delegation.return_date
            and locked.expiry_date <= (delegation.return_date)
        ):
            raise ServiceError(
                "passport_invalid", _("The passport expires before the trip ends: renew it.")
            )
        due = due_date_for(delegation, on=today)
        move(
            locked,
            actor=actor,
            action="lend",
            delegation=delegation,
            new={"delegation": delegation.pk, "due_date": due, "taken_by": taken_by.strip()},
        )
        return Loan.objects.create(
            passport=locked,
            delegation=delegation,
            taken_by=taken_by.strip(),
            lent_by=actor,
            due_date=due or today,
        )


def passport_return(*, passport, actor, comment="", today=None, expected_version=None) -> Loan:
    """The passport is back in the cabinet: close its loan (an overdue block lifts at once).

    One that expired while it was out (the daily expiry only touches the cabinet) is marked
    expired in the same step, so it can never be lent again by mistake.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = lock(passport, actor, expected_version)
        loan = Loan.objects.select_for_update().filter(passport=locked, returned_at=None).first()
        move(
            locked,
            actor=actor,
            action="return",
            delegation=getattr(loan, "delegation", None),
            comment=comment,
        )
        if loan:
            loan.returned_at = timezone.now()
            loan.returned_to = actor
            loan.save(update_fields=["returned_at", "returned_to"])
        if locked.expiry_date and locked.expiry_date < today:
            move(locked, actor=actor, action="expire", comment=_("expired while lent out"))
        return loan


def passport_return_by_mrz(*, passport, actor, mrz, expected_version=None) -> Loan:
    """Return a passport by scanning it: the MRZ is parsed and checked like at check-in, and
    only a passport whose MRZ agrees with its record is taken back (nothing changes otherwise).
    """
    parsed = mrz_parse(mrz)
    with transaction.atomic():
        locked = lock(passport, actor, expected_version)
        check_mrz_matches(locked, parsed)
        return passport_return(passport=locked, actor=actor, comment=_("returned by MRZ scan"))


def loans_refresh_due(*, delegation, actor=None, today=None) -> int:
    """Recompute the due date of the delegation's open loans after its dates changed."""
    due = due_date_for(delegation, on=today)
    if due is None:
        return 0
    changed = 0
    with transaction.atomic():
        for loan in Loan.objects.select_for_update().filter(
            delegation=delegation, returned_at=None
        ):
            if loan.due_date != due:
                old = loan.due_date
                loan.due_date = due
                loan.save(update_fields=["due_date"])
                audit_record(
                    actor=actor,
                    action="passport.loan_due_changed",
                    obj=loan,
                    old={"due_date": old},
                    new={"due_date": due},
                )
                changed += 1
    return changed


def loans_refresh_all(*, today=None) -> int:
    from waiban.visits.models import Delegation

    ids = Loan.objects.filter(returned_at=None).values_list("delegation_id", flat=True)
    return sum(
        loans_refresh_due(delegation=d, today=today)
        for d in Delegation.objects.filter(pk__in=set(ids))
    )
