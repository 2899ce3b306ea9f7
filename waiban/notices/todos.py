"""What waits for a user, at the top of their home page: counts of work, each a link to where it
is done. (The unread badge counts notices; this counts work.) A few indexed counts per page."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waiban.accounts.roles import Role


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    urgent: bool = False  # shown red: something is late


def _link(name, **query) -> str:
    url = reverse(name)
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def _change_todos(user) -> list[Todo]:
    """Change requests of approved cases whose next move is the user's; none shown when none
    waits (they are rare beside the cases)."""
    from waiban.changes.selectors import changes_waiting_for

    count = changes_waiting_for(user=user).order_by().count()
    return [Todo(_("Change requests waiting for you"), count, reverse("changes:list"))][:count]


def _unit_todos(user) -> list[Todo]:
    from waiban.passports.models import Loan
    from waiban.visits.models import Delegation
    from waiban.visits.states import EDITABLE_STATES, State

    cases = Delegation.objects.filter(unit_id=user.unit_id).order_by()
    if user.role == Role.UNIT_HEAD:
        waiting = cases.filter(state__in=EDITABLE_STATES, committed_at=None).count()
        return [
            Todo(
                _("Commitments to confirm"),
                waiting,
                _link("visits:list", state="awaiting_commitment"),
            ),
            *_change_todos(user),
        ]
    from waiban.reports.models import TripReport
    from waiban.reports.reminders import WITH_THE_OFFICE

    with_the_office = TripReport.objects.filter(state__in=WITH_THE_OFFICE).values("delegation_id")
    counts = cases.aggregate(
        sent_back=Count("pk", filter=Q(state=State.SENT_BACK)),
        drafts=Count("pk", filter=Q(state=State.DRAFT)),
        # Back home, its report not yet with the office (one count with the others).
        reports=Count("pk", filter=Q(state=State.BACK_HOME) & ~Q(pk__in=with_the_office)),
    )
    loans = Loan.objects.filter(
        delegation__unit_id=user.unit_id,
        returned_at=None,
        delegation__state__in=[State.BACK_HOME, State.CLOSED],
    ).aggregate(out=Count("pk"), late=Count("pk", filter=Q(due_date__lt=timezone.localdate())))
    return [
        Todo(
            _("Sent back for correction"),
            counts["sent_back"],
            _link("visits:list", state="sent_back"),
            urgent=True,
        ),
        Todo(_("Drafts not submitted"), counts["drafts"], _link("visits:list", state="draft")),
        Todo(
            _("Trip reports to write"),
            counts["reports"],
            _link("visits:list", state="back_home"),
        ),
        Todo(
            _("Passports to hand back"),
            loans["out"],
            _link("visits:list", state="back_home"),
            urgent=bool(loans["late"]),
        ),
    ]


def _office_todos(user) -> list[Todo]:
    from waiban.visits.selectors import workbench_queryset

    counts = (
        workbench_queryset(user=user)
        .order_by()
        .aggregate(
            queue=Count("pk", distinct=True),
            late=Count("pk", distinct=True, filter=Q(deadline__lt=timezone.localdate())),
        )
    )
    todos = [
        Todo(_("Cases in your queue"), counts["queue"], reverse("visits:workbench")),
        *_change_todos(user),
    ]
    if counts["late"]:
        todos.append(
            Todo(
                _("Past the office's time limit"),
                counts["late"],
                _link("visits:workbench", overdue=1),
                urgent=True,
            )
        )
    return todos


def _passport_todos(user) -> list[Todo]:
    from waiban.accounts.scoping import visible_authority_ids
    from waiban.passports.models import Loan

    soon = timezone.localdate() + dt.timedelta(days=2)
    loans = Loan.objects.filter(
        returned_at=None, passport__authority_id__in=visible_authority_ids(user)
    ).order_by()
    late = loans.filter(due_date__lt=timezone.localdate()).count()
    return [
        Todo(_("Passports overdue"), late, _link("passports:custody", where="out"), urgent=True),
        Todo(
            _("Passports due back within 2 days"),
            loans.filter(due_date__gte=timezone.localdate(), due_date__lte=soon).count(),
            _link("passports:custody", where="out"),
        ),
    ]


def _traveller_todos(user) -> list[Todo]:
    from waiban.visits.models import Delegation
    from waiban.visits.states import AUTHORISED_STATES

    if not user.person_id:
        return []
    trips = Delegation.objects.filter(
        members__person_id=user.person_id, state__in=AUTHORISED_STATES
    ).order_by()
    return [Todo(_("Your approved trips"), trips.count(), reverse("visits:mine"))]


def todos_for(user) -> list[Todo]:
    if user.role in (Role.UNIT_CLERK, Role.UNIT_HEAD):
        return _unit_todos(user) if user.unit_id else []
    if user.role in (Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER):
        return _office_todos(user)
    if user.role == Role.PASSPORT_OFFICER:
        return _passport_todos(user)
    if user.role == Role.TRAVELLER:
        return _traveller_todos(user)
    return []
