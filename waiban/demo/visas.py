"""The demo's visa stage: the regime table and the embassies loaded from the shipped files, and
embassy batches in every state walked through the real services, so the visa officer (`visa`)
has work in `make run`: trips waiting for visas, a batch being prepared, batches at the
embassies (one on time, one overdue), batches back with their results, one cancelled.

Past batches (trips already under way or back) are what the office's learnt lead times come
from; their notes are issued at once, so a batch can be sent in the same run.
"""

import datetime as dt
from pathlib import Path

from django.utils import timezone

from waiban.accounts.models import User
from waiban.demo.clock import clock_at, office_time
from waiban.visas import services
from waiban.visas.needs import trip_visas
from waiban.visas.notes import visa_note_issue
from waiban.visas.regimes import embassies_load, regime_edition_load
from waiban.visas.states import Entries, Result
from waiban.visits.models import Delegation
from waiban.visits.states import State

COURIER = "广西驻京办 交通员"
DATA = Path(__file__).resolve().parents[1] / "visas" / "data"
REGIMES_FILE = DATA / "mfa-visa-exemptions-2025-03-11.csv"
EMBASSIES_FILE = DATA / "embassies.csv"


def _groups(delegation):
    """The trip's embassies, those whose travellers all have a passport on record (a batch is
    sent with the passports)."""
    return [
        (embassy, needs)
        for embassy, needs in trip_visas(delegation).by_embassy.items()
        if all(n.passport is not None for n in needs)
    ]


def _at(day, rng, *, later=False):
    """Run the services as on ``day`` during office hours (the morning, or ``later`` in the
    afternoon): the history has a real past, in order."""
    hours = {"start_hour": 14, "end_hour": 17} if later else {"start_hour": 9, "end_hour": 12}
    return clock_at(office_time(day, rng, **hours))


def _new_batch(delegation, embassy, officer, *, day, rng):
    with _at(day, rng):
        batch = services.visa_batch_create(delegation=delegation, embassy=embassy, actor=officer)
        visa_note_issue(batch=batch, actor=officer)
    return batch


def _approved_on(delegation) -> dt.date:
    event = delegation.events.filter(to_state=State.APPROVED).order_by("-at").first()
    return timezone.localdate(event.at) if event else timezone.localdate()


def _results(batch, officer, *, decided_on, rng, refuse_last=False):
    with _at(decided_on, rng):
        _record_results(batch, officer, decided_on=decided_on, refuse_last=refuse_last)


def _record_results(batch, officer, *, decided_on, refuse_last):
    applications = list(batch.applications.all())
    for index, application in enumerate(applications):
        if refuse_last and index == len(applications) - 1 and index > 0:
            services.visa_result_record(
                application=application,
                actor=officer,
                result=Result.REFUSED,
                decided_on=decided_on,
                comment="使馆未说明理由",
            )
            continue
        services.visa_result_record(
            application=application,
            actor=officer,
            result=Result.GRANTED,
            visa_number=f"V{batch.pk:03d}{index:02d}{application.pk:04d}",
            valid_from=decided_on,
            valid_until=decided_on + dt.timedelta(days=90),
            entries=Entries.SINGLE,
            stay_days=30,
            decided_on=decided_on,
        )


def create_demo_visas(rng) -> dict:
    """Load the table and embassies; batches for the province office's trips. Returns counts."""
    regime_edition_load(data=REGIMES_FILE.read_bytes())
    embassies_load(data=EMBASSIES_FILE.read_bytes())
    officer = User.objects.filter(username="visa").first()
    if officer is None:
        return {}
    today = timezone.localdate()
    counts = {"preparing": 0, "sent": 0, "back": 0, "cancelled": 0}
    scope = Delegation.objects.filter(authority_id=officer.authority_id)
    # Trips already under way or back: their batches went and came back (the learnt history).
    for delegation in scope.filter(state__in=[State.TRAVELLING, State.BACK_HOME]).order_by("id"):
        if delegation.departure_date is None:
            continue
        for embassy, _needs in _groups(delegation)[:1]:
            sent_on = max(
                delegation.departure_date - dt.timedelta(days=rng.randint(25, 40)),
                _approved_on(delegation),
            )
            sent_on = min(sent_on, today)
            batch = _new_batch(delegation, embassy, officer, day=sent_on, rng=rng)
            with _at(sent_on, rng, later=True):
                services.visa_batch_send(
                    batch=batch, actor=officer, courier=COURIER, sent_on=sent_on
                )
            back_on = min(sent_on + dt.timedelta(days=rng.randint(9, 18)), today)
            _results(batch, officer, decided_on=back_on, rng=rng)
            with _at(back_on, rng, later=True):
                services.visa_batch_receive(batch=batch, actor=officer, back_on=back_on)
            counts["back"] += 1
    # Approved trips ahead: one batch back with a refusal, one overdue at the embassy (its
    # expected return, as the embassy promised it, passed), one on time, one being prepared,
    # one cancelled; the others wait on the workbench.
    ahead = scope.filter(state=State.APPROVED, departure_date__gt=today).order_by(
        "departure_date", "id"
    )
    plan = ["back", "overdue", "sent", "preparing", "cancelled"]
    for delegation in ahead:
        if not plan:
            break
        groups = _groups(delegation)
        if not groups:
            continue
        embassy = groups[0][0]
        lead = trip_visas(delegation).by_embassy[embassy][0].lead.days
        start = min(_approved_on(delegation) + dt.timedelta(days=1), today)
        step = plan[0]
        if step == "overdue" and (today - start).days < 4:
            continue  # approved too lately to be late already: another trip will do
        plan.pop(0)
        if step in ("preparing", "cancelled"):
            batch = _new_batch(delegation, embassy, officer, day=today, rng=rng)
            if step == "cancelled":
                with _at(today, rng, later=True):
                    services.visa_batch_cancel(
                        batch=batch, actor=officer, reason="行程调整，改期送签"
                    )
            counts[step] += 1
            continue
        # On time: sent a third of the embassy's lead time ago (or on the day after approval).
        sent_on = start if step != "sent" else max(start, today - dt.timedelta(days=lead // 3))
        expected_back = None
        if step == "overdue":
            expected_back = today - dt.timedelta(days=2)
        batch = _new_batch(delegation, embassy, officer, day=sent_on, rng=rng)
        with _at(sent_on, rng, later=True):
            batch = services.visa_batch_send(
                batch=batch,
                actor=officer,
                courier=COURIER,
                sent_on=sent_on,
                expected_back=expected_back,
            )
        if step == "back":
            back_on = min(sent_on + dt.timedelta(days=max(lead - 2, 1)), today)
            _results(batch, officer, decided_on=back_on, rng=rng, refuse_last=True)
            with _at(back_on, rng, later=True):
                services.visa_batch_receive(batch=batch, actor=officer, back_on=back_on)
            counts["back"] += 1
        else:
            counts["sent"] += 1
    return counts
