"""Passports out: remind the unit's clerks (and the holder) two days before the due date, on it
and every few working days after.

Queued as notices with a key per trip, due date and reminder period, so running the job twice a day, or
again after a failure, sends nothing twice.
"""

import datetime as dt
from collections import defaultdict

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


def _unit_people(delegation_id, unit_id, person_ids):
    """The unit's clerks and the holders of the passports if they have an account."""
    users = User.objects.filter(is_active=True).select_related("notice_preference")
    clerks = users.filter(role=Role.UNIT_CLERK, unit_id=unit_id)
    holders = users.filter(role=Role.TRAVELLER, person_id__in=person_ids)
    return [*clerks, *holders]


def passports_remind(*, today=None, calendar=None) -> int:
    """Refresh due dates, mark late passports overdue, queue the reminders due today: two days
    before the due date once, then on it and every few working days after — one notice per
    trip and due date, naming every passport still out. Returns the notices newly queued (a
    second run the same day queues none)."""
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar()
    loans_refresh_all(today=today)
    sent = 0
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    loans = Loan.objects.filter(
        returned_at=None, passport__status__in=OUT_STATUSES, due_date__lte=soon
    ).select_related("passport", "delegation")
    trips = defaultdict(list)
    for loan in loans:
        trips[(loan.delegation, loan.due_date)].append(loan)
    for (trip, due), out in trips.items():
        with transaction.atomic():
            if due > today:
                ref, builder = f"passport-due:{trip.pk}:{due.isoformat()}", "passport_due"
            else:
                for loan in out:
                    if due < today and loan.passport.status == Status.LENT_OUT:
                        passport_mark_overdue(passport=loan.passport, actor=None)
                period = calendar.working_days_between(due, today) // EVERY_WORKING_DAYS
                ref = f"passport-overdue:{trip.pk}:{due.isoformat()}:{period}"
                builder = "passport_overdue"
            people = _unit_people(trip.pk, trip.unit_id, [loan.passport.person_id for loan in out])
            sent += notices_queue(
                ref=ref,
                recipients={user: channels_for("passport", builder, "unit") for user in people},
                builder=builder,
                args={"delegation_id": trip.pk, "due": due.isoformat(), "on": today.isoformat()},
            )
    return sent


def _still_out(delegation_id, due):
    """The trip's passports with this due date still out when the notice goes: None when all
    are back (nothing to say any more)."""
    loans = list(
        Loan.objects.filter(
            delegation_id=delegation_id, due_date=due, returned_at=None
        ).select_related("passport__person", "delegation")
    )
    if not loans:
        return None
    names = "、".join(loan.passport.person.name_zh for loan in loans)
    return loans[0].delegation, names, len(loans)


@notice_message("passport_due")
def passport_due_message(*, delegation_id, due, on):
    found = _still_out(delegation_id, dt.date.fromisoformat(due))
    if found is None:
        return None
    trip, names, count = found
    figures = {"names": names, "count": count, "due": due, "case": trip.case_number}
    return Message(
        subject=_("Passports of trip %(case)s due back on %(due)s") % figures,
        body=_(
            "The passports lent for trip %(case)s (%(names)s) are due back in custody on "
            "%(due)s. Return them to the passport office by then."
        )
        % figures,
        sms=_(
            "[Foreign Affairs Office] The passports lent for trip %(case)s are due back on %(due)s."
        )
        % figures,
        link=reverse("visits:detail", args=[trip.pk]),
    )


@notice_message("passport_overdue")
def passport_overdue_message(*, delegation_id, due, on):
    found = _still_out(delegation_id, dt.date.fromisoformat(due))
    if found is None:
        return None
    trip, names, count = found
    figures = {
        "names": names,
        "count": count,
        "due": due,
        "case": trip.case_number,
        "days": (dt.date.fromisoformat(on) - dt.date.fromisoformat(due)).days,
    }
    return Message(
        subject=_("Passports of trip %(case)s due back: %(due)s") % figures,
        body=_(
            "The passports lent for trip %(case)s (%(names)s) were due back in custody on "
            "%(due)s (%(days)d days ago). Return them to the passport office; after 30 days "
            "the unit cannot submit new applications."
        )
        % figures,
        sms=_(
            "[Foreign Affairs Office] The passports lent for trip %(case)s were due back on "
            "%(due)s. Please return them."
        )
        % figures,
        link=reverse("visits:detail", args=[trip.pk]),
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
