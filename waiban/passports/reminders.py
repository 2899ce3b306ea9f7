"""Passports out: remind the unit's clerks (and the holder) two days before the due date, on it
and every few working days after.

Queued as notices with a key per loan and reminder period, so running the job twice a day, or
again after a failure, sends nothing twice.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.core.calendar import WorkingCalendar
from waiban.notices.registry import Message, notice_message
from waiban.notices.routing import channels_for, notices_queue
from waiban.passports.loans import loans_refresh_all
from waiban.passports.models import Loan, Passport
from waiban.passports.services import passport_expire, passport_mark_overdue
from waiban.passports.states import OUT_STATUSES, Status

EVERY_WORKING_DAYS = 3
DUE_SOON_DAYS = 2  # the reminder ahead of the due date


def _unit_people(loan):
    """The unit's clerks and the passport's holder if they have an account."""
    users = User.objects.filter(is_active=True).select_related("notice_preference")
    clerks = users.filter(role=Role.UNIT_CLERK, unit_id=loan.delegation.unit_id)
    holder = users.filter(role=Role.TRAVELLER, person_id=loan.passport.person_id)
    return [*clerks, *holder]


def _queue(loan, *, ref, builder, today):
    recipients = {user: channels_for("passport", builder, "unit") for user in _unit_people(loan)}
    return notices_queue(
        ref=ref,
        recipients=recipients,
        builder=builder,
        args={"loan_id": loan.pk, "on": today.isoformat()},
    )


def passports_remind(*, today=None, calendar=None) -> int:
    """Refresh due dates, mark late passports overdue, queue the reminders due today: two days
    before the due date once, then on it and every few working days after. Returns the
    notices newly queued (a second run the same day queues none)."""
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar()
    loans_refresh_all(today=today)
    sent = 0
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    loans = Loan.objects.filter(
        returned_at=None, passport__status__in=OUT_STATUSES, due_date__lte=soon
    ).select_related("passport__person", "delegation")
    for loan in loans:
        with transaction.atomic():
            if loan.due_date > today:
                sent += _queue(
                    loan,
                    ref=f"passport-due:{loan.pk}:{loan.due_date.isoformat()}",
                    builder="passport_due",
                    today=today,
                )
                continue
            if loan.due_date < today and loan.passport.status == Status.LENT_OUT:
                passport_mark_overdue(passport=loan.passport, actor=None)
            period = calendar.working_days_between(loan.due_date, today) // EVERY_WORKING_DAYS
            sent += _queue(
                loan,
                ref=f"passport-overdue:{loan.pk}:{loan.due_date.isoformat()}:{period}",
                builder="passport_overdue",
                today=today,
            )
    return sent


def _loan(loan_id):
    return Loan.objects.filter(pk=loan_id).select_related("passport__person", "delegation").first()


@notice_message("passport_due")
def passport_due_message(*, loan_id, on):
    loan = _loan(loan_id)
    if loan is None:
        return None
    figures = {
        "name": loan.passport.person.name_zh,
        "due": loan.due_date.isoformat(),
        "case": loan.delegation.case_number,
    }
    return Message(
        subject=_("Passport of %(name)s due back on %(due)s") % figures,
        body=_(
            "The passport lent for trip %(case)s is due back in custody on %(due)s. Return it "
            "to the passport office by then."
        )
        % figures,
        sms=_("[Foreign Affairs Office] A passport lent for trip %(case)s is due back on %(due)s.")
        % figures,
        link=reverse("visits:detail", args=[loan.delegation_id]),
    )


@notice_message("passport_overdue")
def passport_overdue_message(*, loan_id, on):
    loan = _loan(loan_id)
    if loan is None:
        return None
    figures = {
        "name": loan.passport.person.name_zh,
        "due": loan.due_date.isoformat(),
        "case": loan.delegation.case_number,
        "days": (dt.date.fromisoformat(on) - loan.due_date).days,
    }
    return Message(
        subject=_("Passport of %(name)s due back: %(due)s") % figures,
        body=_(
            "The passport lent for trip %(case)s was due back in custody on %(due)s "
            "(%(days)d days ago). Return it to the passport office; after 30 days the unit "
            "cannot submit new applications."
        )
        % figures,
        sms=_(
            "[Foreign Affairs Office] A passport lent for trip %(case)s was due back on "
            "%(due)s. Please return it."
        )
        % figures,
        link=reverse("visits:detail", args=[loan.delegation_id]),
    )


def passports_expire(*, today=None) -> int:
    """Mark every passport in custody whose expiry date has passed as expired (run daily).

    Idempotent: an expired passport is no longer in custody, so a second run finds nothing.
    """
    today = today or timezone.localdate()
    expired = 0
    for passport in Passport.objects.filter(status=Status.IN_CUSTODY, expiry_date__lt=today):
        passport_expire(passport=passport, actor=None, today=today)
        expired += 1
    return expired
