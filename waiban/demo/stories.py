"""The showcase delegations, walked through the real service functions on a simulated clock.

Each story is a list of steps ending in the delegation's target state; the steps are dated
backwards from "now" in working days, so open cases show every colour of the deadline light.
Trips past their approval are dated from their journey instead: approved ones leave in the
coming weeks, travelling ones left a few days ago, back-home ones came back this week (their
passports still due in custody, one or two overdue) and closed ones came back, returned their
passports and were closed -- each move through its service (waiban.visits.trip,
waiban.passports), by the system's daily job or by the person who records it.
"""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from waiban.core.calendar import WorkingCalendar
from waiban.demo import catalog
from waiban.demo.aftertrip import disclose, write_up
from waiban.demo.clock import clock_at, job_time, office_time, working_days_before
from waiban.demo.custody import Custody, working_days_after
from waiban.demo.organisation import Organisation
from waiban.demo.pdf import tiny_pdf
from waiban.demo.trips import budget_for, describe, pick_itinerary, pick_members
from waiban.passports.facts import HK_MACAO
from waiban.passports.reminders import passports_remind
from waiban.people.models import RankGroup, rank_group
from waiban.reports.cage import anomalies_scan
from waiban.visits import workflow
from waiban.visits.correction_check import open_items
from waiban.visits.editing import attachment_add, delegation_save
from waiban.visits.models import FundingSource
from waiban.visits.states import State
from waiban.visits.trip import delegation_close, delegation_come_back, delegation_depart

# How the ~100 showcase cases spread over the states (they are interleaved, so any first 12
# cover every state).
STATE_COUNTS = {
    State.DRAFT: 10,
    State.PRE_REVIEW: 10,
    State.SENT_BACK: 7,
    State.UNDER_REVIEW: 9,
    State.PENDING_APPROVAL: 10,
    State.APPROVED: 14,
    State.TRAVELLING: 8,
    State.BACK_HOME: 9,
    State.CLOSED: 10,
    State.REFUSED: 5,
    State.WITHDRAWN: 6,
    State.CANCELLED: 2,
}
# Trips that left after their approval; with the approved ones, the trips dated by their journey.
AFTER_APPROVAL = (State.TRAVELLING, State.BACK_HOME, State.CLOSED)
# (how far the report of each trip back home goes, a day more than approved), in turn.
BACK_HOME_WRITE_UPS = (
    ("", False),
    ("draft", True),
    ("submitted", False),
    ("itinerary", True),
    ("submitted", True),
    ("draft", False),
)
JOURNEYS = (State.APPROVED, *AFTER_APPROVAL)
OPEN_LAGS = [0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 6]  # working days since the current stage began


def state_plan(n: int) -> list[str]:
    remaining = dict(STATE_COUNTS)
    plan = []
    while len(plan) < n and any(remaining.values()):
        for state in STATE_COUNTS:
            if remaining[state] and len(plan) < n:
                plan.append(state)
                remaining[state] -= 1
    while len(plan) < n:  # more than the table holds: mostly approved, like real life
        plan.append(State.APPROVED)
    return plan


def _steps(rng, state, *, levels: int) -> list[str]:
    """The actions, in order, that bring a new delegation to ``state``."""
    prepare = ["save", "commit"]
    submitted = [*prepare, "submit"]
    if rng.random() < 0.2:
        submitted += ["send_back", "resubmit"]
    accepted = [*submitted, "accept"]
    if state == State.DRAFT:
        return rng.choice([["save"], prepare, prepare, ["save_without_invitation"]])
    if state == State.PRE_REVIEW:
        return submitted
    if state == State.SENT_BACK:
        return [*prepare, "submit", "send_back"]
    if state == State.UNDER_REVIEW:
        return accepted
    if state == State.PENDING_APPROVAL:
        partly = levels > 1 and rng.random() < 0.5
        return [*accepted, "review"] + ["approve"] * (1 if partly else 0)
    if state in JOURNEYS:  # what follows the approval is dated by the journey (StoryTeller)
        return [*accepted, "review"] + ["approve"] * levels
    if state == State.REFUSED:
        return [*accepted, "review"] + ["approve"] * rng.randrange(levels) + ["refuse"]
    if state == State.CANCELLED:
        return [*accepted, "review"] + ["approve"] * levels + ["cancel"]
    return rng.choice(
        [
            [*prepare, "withdraw"],
            [*submitted, "withdraw"],
            [*prepare, "submit", "send_back", "withdraw"],
        ]
    )


# Two drafts of the demo clerk show the passport-validity rule: a member's passport expires
# within six months after the return (a warning), another's before the return (a block).
DRAFT_VARIANTS = ("passport-warn", "passport-block")
# The blocked draft's trip leaves the day before; it lasts three days or more.
PASSPORT_BLOCK_EXPIRY_DAYS = 45


# Working days between an action and the one before it.
_GAPS = {
    "commit": (1, 4),
    "submit": (0, 1),
    "send_back": (0, 1),
    "resubmit": (1, 3),
    "accept": (0, 1),
    "review": (1, 3),
    "approve": (0, 2),
    "refuse": (0, 2),
    "withdraw": (1, 5),
    "cancel": (2, 10),
}


def _timeline(rng, steps, state, calendar, *, last=None) -> list[dt.datetime]:
    now = timezone.now()
    today = timezone.localdate()
    if last is None and state in (State.REFUSED, State.WITHDRAWN, State.CANCELLED):
        last = working_days_before(calendar, today, rng.randrange(2, 100))
    elif last is None:  # open cases; for a journey the day of its approval is given
        lag = rng.choice(OPEN_LAGS if state != State.DRAFT else [0, 1, 2, 5, 9])
        if lag == 0 and timezone.localtime(now).hour < 10:
            lag = 1
        last = working_days_before(calendar, today, lag)
    days = [last]
    for action in reversed(steps[1:]):
        low, high = _GAPS.get(action, (1, 4))
        days.append(working_days_before(calendar, days[-1], rng.randint(low, high)))
    days.reverse()
    times = []
    for day in days:
        moment = office_time(day, rng)
        if times and moment <= times[-1]:
            moment = times[-1] + dt.timedelta(minutes=rng.randint(5, 90))
        times.append(moment)
    latest = now - dt.timedelta(minutes=1)
    for i in range(len(times) - 1, -1, -1):  # never in the future, order kept
        latest = min(times[i], latest)
        times[i] = latest
        latest -= dt.timedelta(minutes=1)
    return times


def _pdf_upload(delegation, stops, *, kind="invitation") -> SimpleUploadedFile:
    # The built-in PDF font has no Chinese glyphs: the demo letter shows codes and dates only.
    lines = [
        "Letter of Invitation" if kind == "invitation" else "Programme",
        f"Ref. WB-DEMO-{delegation.pk:06d}",
        f"Destinations: {', '.join(s['country'] for s in stops)}",
        f"From {stops[0]['arrival_date']:%Y-%m-%d} to {stops[-1]['departure_date']:%Y-%m-%d}",
        "Demo document generated by manage.py seed_demo.",
    ]
    return SimpleUploadedFile(f"{kind}.pdf", tiny_pdf(lines), content_type="application/pdf")


def _justify(delegation) -> dict:
    """The demo clerk explains each rule warning in writing, as a real clerk must."""
    from waiban.rules.selectors import draft_findings

    return {
        f.key: "因工作需要，经单位党组研究同意，确需成行。"
        for f in draft_findings(delegation)
        if f.severity == "warn"
    }


@dataclass(frozen=True)
class Journey:
    """The dates of a trip past its approval (lent_on: passports handed out; back_on: passports
    back in custody, for the closed trips only)."""

    region: str
    stops: list
    approved_on: dt.date
    lent_on: dt.date | None = None
    back_on: dt.date | None = None

    @property
    def departure(self) -> dt.date:
        return self.stops[0]["arrival_date"]

    @property
    def return_date(self) -> dt.date:
        return self.stops[-1]["departure_date"]


def _shifted(stops: list[dict], days: int) -> list[dict]:
    delta = dt.timedelta(days=days)
    return [
        {
            **s,
            "arrival_date": s["arrival_date"] + delta,
            "departure_date": s["departure_date"] + delta,
        }
        for s in stops
    ]


class StoryTeller:
    def __init__(self, org: Organisation, people: dict, rng: random.Random):
        self.org = org
        self.people = people
        self.rng = rng
        self.calendar = WorkingCalendar()
        self.today = timezone.localdate()
        self.told = Counter()
        self.after_trip = Counter()
        # The reports draw from their own sequence: the rest of the demo stays as it was.
        self.after_rng = random.Random(16)
        acc = org.accounts
        self.office = {
            "window": acc["window"],
            "reviewer": acc["reviewer"],
            "division_head": acc["divhead"],
            "office_leader": acc["leader"],
        }
        self.traveller_person = next(
            p for p in people[catalog.DEMO_UNIT] if p.name_zh == acc["traveller"].full_name
        )
        acc["traveller"].person = self.traveller_person
        acc["traveller"].save(update_fields=["person"])
        # The passport cabinet: most of the demo unit's passports, some of the others'. Of the
        # demo unit, one member has none and another's expires within six months; each is on
        # an approved trip (a new passport, a renewal to request).
        self.custody = Custody(acc["passport"], rng, self.calendar)
        staff = people[catalog.DEMO_UNIT][len(people[catalog.DEMO_UNIT]) // 2 :]
        self.without_passport, self.renewing = rng.sample(
            [p for p in staff if p != self.traveller_person], 2
        )
        self.custody.never.add(self.without_passport.pk)
        self.custody.register(self.renewing, expiring=True)
        # One more, whose passport expires before the trip of a draft of the demo clerk (the
        # passport-validity rule blocks it); kept off every other case, which would be
        # blocked too. The renewing member is on another draft, with the warning.
        self.expiring = rng.choice(
            [
                p
                for p in staff
                if p not in (self.traveller_person, self.without_passport, self.renewing)
            ]
        )
        self.custody.register(
            self.expiring, expiry=self.today + dt.timedelta(days=PASSPORT_BLOCK_EXPIRY_DAYS)
        )
        self.kept_apart = {self.expiring.pk}
        self.custody.register_share(people, catalog.DEMO_UNIT)

    def _unit_key(self) -> str:
        roll = self.rng.random()
        if roll < 0.3:
            return catalog.DEMO_UNIT
        if roll < 0.38:
            return catalog.SECOND_CLERK_UNIT
        return self.rng.choice([u[0] for u in catalog.UNITS])

    def _who(self, state: str, variant: str):
        """The unit and a person who must be on the trip. The first trip of each state past the
        approval is the demo unit's (the traveller is on the first that is travelling), so the
        demo accounts see every stage; the overdue passports are other units'."""
        first = self.told[state] == 0
        self.told[state] += 1
        key, must = self._unit_key(), None
        if variant == "amber":
            key = catalog.SECOND_CLERK_UNIT
        elif variant == "red":  # its unit can submit nothing new: not a demo account's unit
            others = (catalog.DEMO_UNIT, catalog.SECOND_CLERK_UNIT)
            key = self.rng.choice([u[0] for u in catalog.UNITS if u[0] not in others])
        elif first and state == State.TRAVELLING:
            key, must = catalog.DEMO_UNIT, self.traveller_person
        elif first and state == State.APPROVED:
            key, must = catalog.DEMO_UNIT, self.without_passport
        elif variant in ("renewal", "passport-warn"):
            key, must = catalog.DEMO_UNIT, self.renewing
        elif variant == "passport-block":
            key, must = catalog.DEMO_UNIT, self.expiring
        elif first and state in AFTER_APPROVAL:
            key = catalog.DEMO_UNIT
        if must is None and key == catalog.DEMO_UNIT and self.rng.random() < 0.3:
            must = self.traveller_person
        return key, must

    def _journey(self, state: str, variant: str) -> Journey:
        """Dates from today: the approved trip leaves in the coming weeks (or days, with its
        passports already lent), the travelling one left 1-4 days ago, the back-home one came
        back 1-6 days ago (overdue variants: 9-13 or ~40 days), the closed one weeks ago."""
        rng, calendar, today = self.rng, self.calendar, self.today
        while True:  # a trip to Hong Kong/Macao only needs a permit, not a passport
            region, stops = pick_itinerary(rng, today)
            if not {s["country"] for s in stops} <= HK_MACAO:
                break
        length = (stops[-1]["departure_date"] - stops[0]["arrival_date"]).days
        lent_on = back_on = None
        if state == State.APPROVED:
            leaving = variant == "leaving"
            departure = today + dt.timedelta(
                days=rng.randint(2, 4) if leaving else rng.randint(10, 75)
            )
            approved_on = working_days_before(calendar, today, rng.randint(3, 20))
            if leaving:
                lent_on = working_days_before(calendar, today, 1)
        else:
            if state == State.TRAVELLING:
                ago = rng.randint(1, min(4, length - 1))
            else:
                back = {"amber": (9, 13), "red": (38, 44)}.get(variant, (1, 6))
                if state == State.CLOSED:
                    back = (14, 75)
                ago = rng.randint(*back) + length
            departure = today - dt.timedelta(days=ago)
            approved_on = working_days_before(calendar, departure, rng.randint(8, 25))
            lent_on = working_days_before(calendar, departure, rng.randint(1, 3))
            if state == State.CLOSED:
                back_on = working_days_after(
                    calendar, departure + dt.timedelta(days=length), rng.randint(1, 4)
                )
        stops = _shifted(stops, (departure - today).days)
        return Journey(region, stops, approved_on, lent_on, back_on)

    def _pool(self, key: str, journey: Journey | None) -> tuple[str, list]:
        """The unit's people whose passports are free for the journey's dates (another unit's
        if too few are)."""
        if journey is None or journey.lent_on is None:
            return key, self.people[key]

        def free(k):
            return [
                p
                for p in self.people[k]
                if self.custody.available(p, journey.lent_on, journey.back_on)
            ]

        pool = free(key)
        if len(pool) < 3:
            key = max(self.people, key=lambda k: (len(free(k)), k))
            pool = free(key)
        return key, pool

    def tell(self, state: str, variant: str = ""):
        rng = self.rng
        key, must = self._who(state, variant)
        journey = self._journey(state, variant) if state in JOURNEYS else None
        key, pool = self._pool(key, journey)
        pool = [p for p in pool if p.pk not in self.kept_apart or p == must]
        if must is not None and must not in pool:
            must = None
        clerk, head = self.org.clerks[key], self.org.heads[key]
        members = pick_members(rng, pool, bureau_leader=rng.random() < 0.3, must_include=must)
        leader_group = rank_group(members[0]["person"].rank)
        levels = 2 if leader_group == RankGroup.BUREAU else 1
        if variant in DRAFT_VARIANTS:  # complete and confirmed: only the rule's finding is left
            steps = ["save", "commit"]
        else:
            steps = _steps(rng, state, levels=levels)
        times = _timeline(
            rng, steps, state, self.calendar, last=journey.approved_on if journey else None
        )
        if variant == "passport-block":  # leaves the day before the passport expires
            departure = self.today + dt.timedelta(days=PASSPORT_BLOCK_EXPIRY_DAYS - 1)
            region, stops = pick_itinerary(rng, departure)
        elif journey is None:
            # departure: weeks after submission for open cases, after the decision for the
            # refused, withdrawn and cancelled ones
            departure = timezone.localtime(times[-1]).date() + dt.timedelta(
                days=rng.randint(20, 90)
            )
            region, stops = pick_itinerary(rng, departure)
        else:
            region, stops = journey.region, journey.stops
        data = describe(rng, self.org.short_names[key], stops)
        data["funding_source"] = rng.choices(
            [FundingSource.FISCAL, FundingSource.OWN, FundingSource.HOST], weights=[15, 3, 2]
        )[0]
        budget = (
            {}
            if data["funding_source"] == FundingSource.HOST
            else budget_for(rng, region, stops, len(members))
        )
        delegation = None
        for step, moment in zip(steps, times, strict=True):
            with clock_at(moment):
                delegation = self._do(
                    step, delegation, clerk=clerk, head=head, key=key, data=data,
                    members=members, stops=stops, budget=budget,
                )  # fmt: skip
        if journey is not None and journey.lent_on is not None:
            delegation = self._journey_walk(delegation, state, journey, clerk)
        return delegation

    def _journey_walk(self, delegation, state, journey: Journey, clerk):
        """After the approval: the passports are lent, the delegation leaves and comes back,
        the passports come back into custody and the case is closed -- as far as ``state``."""
        rng = self.rng
        # The notice before the trip, posted in the unit the working day after the approval.
        posted = working_days_after(self.calendar, journey.approved_on, 1)
        if posted <= self.today:
            disclose(delegation, clerk=clerk, kind="before", day=posted, rng=self.after_rng)
        lent = self.custody.lend(delegation, day=journey.lent_on, taken_by=clerk.full_name)
        if state == State.APPROVED:
            return delegation
        delegation = self._record(delegation_depart, delegation, journey.departure, clerk)
        if state == State.TRAVELLING:
            return delegation
        delegation = self._record(delegation_come_back, delegation, journey.return_date, clerk)
        after = self.after_trip[state]
        self.after_trip[state] += 1
        start = office_time(
            working_days_after(self.calendar, journey.return_date, 1), self.after_rng
        )
        if state == State.BACK_HOME:
            # The demo unit's first one is left for the demo clerk to try; the others show a
            # report drafted (with a day more than approved), submitted, or only the itinerary.
            stage, extra = BACK_HOME_WRITE_UPS[after % len(BACK_HOME_WRITE_UPS)]
            if stage:
                write_up(
                    delegation, clerk=clerk, reviewer=self.office["reviewer"], upto=stage,
                    start=start, rng=self.after_rng, extra_day=extra,
                )  # fmt: skip
            return delegation
        last = self.custody.take_back(lent, day=journey.back_on)
        # Closed trips have an accepted report: most in the shared library, every third kept
        # internal at its unit's request.
        accepted = write_up(
            delegation, clerk=clerk, reviewer=self.office["reviewer"], upto="accepted",
            start=start, rng=self.after_rng, internal=after % 3 == 2,
        )  # fmt: skip
        # And the notice after it, with the report, the next working day.
        day = working_days_after(self.calendar, timezone.localtime(accepted).date(), 1)
        last = max(
            last, disclose(delegation, clerk=clerk, kind="after", day=day, rng=self.after_rng)
        )
        if rng.random() < 0.6:  # the daily job closes it the next morning
            actor = None
            moment = job_time(journey.back_on + dt.timedelta(days=1), rng)
        else:  # or the reviewer, once the passports are all back
            actor = self.office["reviewer"]
            day = working_days_after(self.calendar, journey.back_on, rng.randint(0, 2))
            moment = office_time(day, rng)
        moment = min(max(moment, last + dt.timedelta(minutes=5)), timezone.now())
        with clock_at(moment):
            return delegation_close(delegation=delegation, actor=actor)

    def _record(self, service, delegation, day: dt.date, clerk):
        """Departure or return on ``day``: mostly the daily job in the early morning, sometimes
        the unit's clerk during office hours."""
        rng = self.rng
        if self.calendar.is_workday(day) and rng.random() < 0.25:
            actor, moment = clerk, office_time(day, rng)
        else:
            actor, moment = None, job_time(day, rng)
        with clock_at(moment):
            return service(delegation=delegation, actor=actor, today=day)

    def _do(self, step, delegation, *, clerk, head, key, data, members, stops, budget):
        rng, office = self.rng, self.office
        if step.startswith("save"):
            delegation = delegation_save(
                actor=clerk, unit=self.org.units[key], data=data, members=members,
                stops=stops, budget=budget,
            )  # fmt: skip
            if step == "save":
                attachment_add(
                    actor=clerk,
                    delegation=delegation,
                    kind="invitation",
                    uploaded=_pdf_upload(delegation, stops),
                )
                if rng.random() < 0.3:
                    attachment_add(
                        actor=clerk,
                        delegation=delegation,
                        kind="agenda",
                        uploaded=_pdf_upload(delegation, stops, kind="agenda"),
                    )
            return delegation
        if step == "commit":
            return workflow.delegation_commit(delegation=delegation, actor=head)
        if step == "submit":
            return workflow.delegation_submit(
                delegation=delegation, actor=clerk, justifications=_justify(delegation)
            )
        if step == "send_back":
            items = rng.sample(catalog.CORRECTIONS, rng.randint(1, 3))
            return workflow.delegation_send_back(
                delegation=delegation, actor=office["window"], items=items
            )
        if step == "resubmit":
            return workflow.delegation_resubmit(
                delegation=delegation,
                actor=clerk,
                comment="已按一次性告知单逐项补正。",
                justifications=_justify(delegation),
                explanations={
                    str(item.pk): "补正材料已按要求送交窗口。" for item in open_items(delegation)
                },
            )
        if step == "accept":
            return workflow.delegation_accept(delegation=delegation, actor=office["window"])
        if step == "review":
            return workflow.delegation_review(
                delegation=delegation,
                actor=office["reviewer"],
                opinion=rng.choice(catalog.REVIEW_OPINIONS),
            )
        if step in ("approve", "refuse"):
            delegation.refresh_from_db()
            position = delegation.approval_steps.get(level=delegation.approval_level).position
            if step == "approve":
                return workflow.delegation_approve(
                    delegation=delegation, actor=office[position], opinion="同意。"
                )
            return workflow.delegation_refuse(
                delegation=delegation,
                actor=office[position],
                opinion=rng.choice(catalog.REFUSAL_OPINIONS),
            )
        if step == "withdraw":
            return workflow.delegation_withdraw(
                delegation=delegation, actor=clerk, comment=rng.choice(catalog.WITHDRAW_REASONS)
            )
        if step == "cancel":
            return workflow.delegation_cancel(
                delegation=delegation, actor=clerk, reason="外方会议延期，出访取消。"
            )
        raise ValueError(step)


def journey_variants(plan: list[str]) -> list[tuple[str, str]]:
    """(state, variant) for each story: the first two drafts have a member whose passport
    expires too soon (a warning, then a block); the second approved trip leaves in a few days
    with its passports already lent, a member of the third must renew a passport; the second
    trip back home is overdue with its passports (amber),
    and, with three or more, the last one by over 30 days (red). That one is told last: its unit
    can submit nothing new once it is (the passport-return rule)."""
    seen = Counter()
    back_home = plan.count(State.BACK_HOME)
    stories, last = [], []
    for state in plan:
        index = seen[state]
        seen[state] += 1
        variant = ""
        if state == State.APPROVED and index == 1:
            variant = "leaving"
        elif state == State.APPROVED and index == 2:
            variant = "renewal"
        elif state == State.DRAFT and index < len(DRAFT_VARIANTS):
            variant = DRAFT_VARIANTS[index]
        elif state == State.BACK_HOME and index == 1:
            variant = "amber"
        elif state == State.BACK_HOME and back_home >= 3 and index == back_home - 1:
            variant = "red"
        (last if variant == "red" else stories).append((state, variant))
    return stories + last


def create_showcase(org: Organisation, people: dict, rng: random.Random, n: int) -> list:
    teller = StoryTeller(org, people, rng)
    cases = [teller.tell(state, variant) for state, variant in journey_variants(state_plan(n))]
    # This morning's daily passport job: late passports are marked overdue, their units reminded.
    passports_remind(today=teller.today)
    # And last night's data-cage scan: the supervisor finds the trips' anomalies waiting.
    anomalies_scan(today=teller.today)
    return cases
