"""The showcase delegations, walked through the real service functions on a simulated clock.

Each story is a list of steps ending in the delegation's target state; the steps are dated
backwards from "now" in working days, so open cases show every colour of the deadline light.
"""

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from waiban.core.calendar import WorkingCalendar
from waiban.demo import catalog
from waiban.demo.clock import clock_at, office_time, working_days_before
from waiban.demo.organisation import Organisation
from waiban.demo.pdf import tiny_pdf
from waiban.demo.trips import budget_for, describe, pick_itinerary, pick_members
from waiban.people.models import RankGroup, rank_group
from waiban.visits import workflow
from waiban.visits.editing import attachment_add, delegation_save
from waiban.visits.models import FundingSource
from waiban.visits.states import State

# How the ~100 showcase cases spread over the states (they are interleaved, so any first 8
# cover every state).
STATE_COUNTS = {
    State.DRAFT: 12,
    State.PRE_REVIEW: 14,
    State.SENT_BACK: 10,
    State.UNDER_REVIEW: 12,
    State.PENDING_APPROVAL: 14,
    State.APPROVED: 20,
    State.REFUSED: 7,
    State.WITHDRAWN: 9,
    State.CANCELLED: 2,
}
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
    if state == State.APPROVED:
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


def _timeline(rng, steps, state, calendar) -> list[dt.datetime]:
    now = timezone.now()
    today = timezone.localdate()
    if state in (State.APPROVED, State.REFUSED, State.WITHDRAWN, State.CANCELLED):
        last = working_days_before(calendar, today, rng.randrange(2, 100))
    else:
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


class StoryTeller:
    def __init__(self, org: Organisation, people: dict, rng: random.Random):
        self.org = org
        self.people = people
        self.rng = rng
        self.calendar = WorkingCalendar()
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

    def _unit_key(self) -> str:
        roll = self.rng.random()
        if roll < 0.3:
            return catalog.DEMO_UNIT
        if roll < 0.38:
            return catalog.SECOND_CLERK_UNIT
        return self.rng.choice([u[0] for u in catalog.UNITS])

    def tell(self, state: str):
        rng = self.rng
        key = self._unit_key()
        clerk, head = self.org.clerks[key], self.org.heads[key]
        must = self.traveller_person if key == catalog.DEMO_UNIT and rng.random() < 0.3 else None
        members = pick_members(
            rng, self.people[key], bureau_leader=rng.random() < 0.3, must_include=must
        )
        leader_group = rank_group(members[0]["person"].rank)
        levels = 2 if leader_group == RankGroup.BUREAU else 1
        steps = _steps(rng, state, levels=levels)
        times = _timeline(rng, steps, state, self.calendar)
        # departure: weeks after submission for open cases, after the decision for closed ones
        departure = timezone.localtime(times[-1]).date() + dt.timedelta(days=rng.randint(20, 90))
        region, stops = pick_itinerary(rng, departure)
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
        return delegation

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


def create_showcase(org: Organisation, people: dict, rng: random.Random, n: int) -> list:
    teller = StoryTeller(org, people, rng)
    return [teller.tell(state) for state in state_plan(n)]
