"""Who hears of a passport's moves (the unit's clerks, the holder), and what the notice says.
The unit's own people see their passports on the case page; the link goes there when the
passport was lent for a trip, else to the clerk's list."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.notices.registry import Message, notice_workflow
from waiban.passports.models import PassportEvent
from waiban.passports.states import TRANSITIONS


def unit_clerks(passport):
    return User.objects.filter(
        is_active=True, role=Role.UNIT_CLERK, unit_id=passport.person.unit_id
    )


def holder(passport):
    return User.objects.filter(is_active=True, role=Role.TRAVELLER, person_id=passport.person_id)


def describe(event) -> Message:
    passport = event.passport
    transition = TRANSITIONS.get(event.action)
    figures = {
        "name": passport.person.name_zh,
        "kind": passport.get_kind_display(),
        "event": transition.label if transition else event.action,
    }
    subject = _("Passport (%(kind)s) of %(name)s: %(event)s") % figures
    body = event.comment or ""
    link = reverse("visits:detail", args=[event.delegation_id]) if event.delegation_id else ""
    return Message(
        subject=subject[:200],
        body=body,
        sms=_("[Foreign Affairs Office] A passport (%(kind)s): %(event)s. Please log in to see it.")
        % figures,
        link=link,
    )


notice_workflow(
    "passport",
    table=TRANSITIONS,
    history=PassportEvent,
    audiences={"unit": unit_clerks, "holder": holder},
    describe=describe,
)
