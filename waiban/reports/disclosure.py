"""Public disclosure of a trip (公示, the ``disclosure`` rule): a notice inside the unit at least
N working days before departure, and another with the report at most M days after the return.

The notice's text has fixed fields taken from the case (task, unit, members' names and posts,
countries, dates, inviting organisation, budget; after the trip, the report's results) and never
a personal number. The clerk records when and where it was posted; a missing or late one warns
on the case page, and the case closes only with both recorded.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.core.audit import audit_record
from waiban.core.calendar import WorkingCalendar
from waiban.core.errors import ServiceError, StateConflict
from waiban.reports.models import Disclosure
from waiban.rules.engine import REGISTRY, rule, versions_in_force
from waiban.visits.states import AUTHORISED_STATES, State

DISCLOSURE = "disclosure"


@rule(
    DISCLOSURE,
    title=gettext_lazy("Public disclosure"),
    severity="warn",
    source="厦门市外办 2015",
    params={"before_working_days": 5, "after_days": 30},
    note="Checked around the trip: the notices' due dates on the case page.",
)
def disclosure_rule(facts, params):
    return ()  # judged on the case page, not in the application


def _params(delegation) -> dict:
    on = delegation.departure_date or timezone.localdate()
    spec = versions_in_force(authority_id=delegation.authority_id, on=on).get(DISCLOSURE)
    return spec.params if spec else REGISTRY[DISCLOSURE].params


def due_dates(delegation, *, calendar=None) -> dict[str, dt.date | None]:
    """The last day each notice may be posted on."""
    params = _params(delegation)
    calendar = calendar or WorkingCalendar()
    before = after = None
    if delegation.departure_date:
        before = delegation.departure_date
        for _day in range(int(params["before_working_days"])):
            before -= dt.timedelta(days=1)
            while not calendar.is_workday(before):
                before -= dt.timedelta(days=1)
    if delegation.return_date:
        after = delegation.return_date + dt.timedelta(days=int(params["after_days"]))
    return {Disclosure.Kind.BEFORE: before, Disclosure.Kind.AFTER: after}


@dataclass(frozen=True)
class NoticeStatus:
    kind: str
    label: str
    due: dt.date | None
    record: Disclosure | None
    warning: str  # "" when on time (or not yet due)


def disclosure_statuses(delegation, *, today=None) -> list[NoticeStatus]:
    today = today or timezone.localdate()
    records = {d.kind: d for d in delegation.disclosures.all()}
    out = []
    for kind, due in due_dates(delegation).items():
        if kind == Disclosure.Kind.AFTER and delegation.state not in (
            State.BACK_HOME,
            State.CLOSED,
        ):
            continue
        record = records.get(kind)
        warning = ""
        if record is not None and due and record.posted_on > due:
            warning = _("Posted on %(posted)s, after the %(due)s the rule asks for.") % {
                "posted": record.posted_on.isoformat(),
                "due": due.isoformat(),
            }
        elif record is None and due and today > due:
            warning = _("Overdue: it was to be posted by %(due)s.") % {"due": due.isoformat()}
        out.append(NoticeStatus(kind, Disclosure.Kind(kind).label, due, record, warning))
    return out


def disclosure_closing_problems(delegation) -> list[str]:
    recorded = set(delegation.disclosures.values_list("kind", flat=True))
    missing = {
        Disclosure.Kind.BEFORE: _("The public notice before the trip is not recorded yet."),
        Disclosure.Kind.AFTER: _("The public notice after the trip is not recorded yet."),
    }
    return [message for kind, message in missing.items() if kind not in recorded]


def disclosure_record(*, delegation, actor, kind, posted_on, place, today=None) -> Disclosure:
    """The unit's clerk records when and where a notice was posted (again: corrected)."""
    from waiban.reports.services import _clerk_of, _lock_case

    today = today or timezone.localdate()
    place = (place or "").strip()
    if kind not in Disclosure.Kind.values:
        raise ServiceError("disclosure_kind", _("No such notice."), field="kind")
    if not isinstance(posted_on, dt.date):
        raise ServiceError("posted_on", _("Enter the day it was posted."), field="posted_on")
    if posted_on > today:
        raise ServiceError(
            "posted_on", _("Record a notice once it is posted, not before."), field="posted_on"
        )
    if not place:
        raise ServiceError("place_required", _("Say where it was posted."), field="place")
    with transaction.atomic():
        case = _lock_case(delegation, actor)
        _clerk_of(actor, case)
        allowed = AUTHORISED_STATES if kind == Disclosure.Kind.BEFORE else {State.BACK_HOME}
        if case.state not in allowed:
            raise StateConflict(
                "not_now",
                _("This case is %(state)s: this notice cannot be recorded now.")
                % {"state": case.get_state_display()},
            )
        row = Disclosure.objects.filter(delegation=case, kind=kind).first()
        old = {"posted_on": row.posted_on, "place": row.place} if row else {}
        row, _created = Disclosure.objects.update_or_create(
            delegation=case,
            kind=kind,
            defaults={"posted_on": posted_on, "place": place[:200], "recorded_by": actor},
        )
        audit_record(
            actor=actor,
            action=f"delegation.disclosure_{kind}",
            obj=case,
            old=old,
            new={"posted_on": posted_on, "place": row.place},
        )
        return row


def notice_fields(delegation, kind) -> list[tuple[str, str]]:
    """The notice's fixed fields, in order: names and posts of the members, never an ID,
    passport or phone number."""
    from django_countries import countries

    members = delegation.members.select_related("person").defer(
        "person__id_number", "person__phone"
    )
    stops = list(delegation.stops.all())
    names = "、".join(
        dict.fromkeys(str(countries.name(str(s.country))) for s in stops if not s.is_airside)
    )
    budget = sum(b.amount for b in delegation.budget_lines.all())
    fields = [
        (_("Delegation"), delegation.title),
        (_("Unit"), delegation.unit.name),
        (_("Task"), delegation.purpose),
        (
            _("Members"),
            "；".join(f"{m.person.name_zh}（{m.person.post}）" for m in members),
        ),
        (_("Countries or regions"), names),
        (
            _("Dates"),
            f"{delegation.departure_date or '—'} — {delegation.return_date or '—'}",
        ),
        (_("Inviting organisation"), delegation.inviting_organisation or "—"),
        (_("Budget (CNY)"), str(budget)),
    ]
    if kind == Disclosure.Kind.AFTER:
        report = getattr(delegation, "trip_report", None)
        fields.append((_("Results"), report.results if report else "—"))
    return fields
