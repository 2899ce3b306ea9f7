"""Overdue passports: remind the unit's clerks at the due date and every few working days after.

Sent through the notices outbox with a key per loan and reminder period, so running the command
twice a day, or again after a failure, sends nothing twice.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.core.calendar import WorkingCalendar
from waiban.notices.services import notice_send
from waiban.passports.loans import loans_refresh_all
from waiban.passports.models import Loan, Passport
from waiban.passports.services import passport_expire, passport_mark_overdue
from waiban.passports.states import OUT_STATUSES, Status

EVERY_WORKING_DAYS = 3


def passports_remind(*, today=None, calendar=None) -> int:
    """Refresh due dates, mark late passports overdue, send the reminders due today."""
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar()
    loans_refresh_all(today=today)
    sent = 0
    loans = Loan.objects.filter(
        returned_at=None, passport__status__in=OUT_STATUSES, due_date__lte=today
    ).select_related("passport__person", "delegation")
    for loan in loans:
        if loan.due_date < today and loan.passport.status == Status.LENT_OUT:
            passport_mark_overdue(passport=loan.passport, actor=None)
        period = calendar.working_days_between(loan.due_date, today) // EVERY_WORKING_DAYS
        days = (today - loan.due_date).days
        subject = _("Passport of %(name)s due back: %(due)s") % {
            "name": loan.passport.person.name_zh,
            "due": loan.due_date.isoformat(),
        }
        body = _(
            "The passport lent for trip %(case)s was due back in custody on %(due)s "
            "(%(days)d days ago). Return it to the passport office; after 30 days the unit "
            "cannot submit new applications."
        ) % {"case": loan.delegation.case_number, "due": loan.due_date.isoformat(), "days": days}
        clerks = User.objects.filter(
            role=Role.UNIT_CLERK, unit_id=loan.delegation.unit_id, is_active=True
        )
        for clerk in clerks:
            key = f"passport-overdue:{loan.pk}:{loan.due_date.isoformat()}:{period}:{clerk.pk}"
            if notice_send(key=key, recipient=clerk, subject=subject, body=body):
                sent += 1
    return sent


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
