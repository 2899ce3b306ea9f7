"""The scale path: many delegations written as rows, without the service functions.

Each delegation gets what the application expects to find: members (leader first, ranks
snapshotted once submitted), 1-3 stops, budget lines, the invitation, a case number from the
same yearly counter the services use, a deadline while a clock runs, the approval steps once
reviewed, a correction notice when returned, and a minimal history (one row per transition on
the main path). Batches are committed one by one, so a long load can be watched and resumed.
"""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from waiban.core.calendar import WorkingCalendar
from waiban.core.models import NumberSequence
from waiban.demo import catalog
from waiban.demo.pdf import tiny_pdf
from waiban.demo.pool import Pool
from waiban.demo.rows import reserve_ids, write_rows
from waiban.demo.trips import country_name, host_kind
from waiban.people.models import rank_group
from waiban.visits.approval import DEFAULT_CHAIN
from waiban.visits.deadlines import stage_limit
from waiban.visits.models import (
    ApprovalChainStep,
    ApprovalStep,
    Attachment,
    BudgetLine,
    CorrectionItem,
    CorrectionNotice,
    Delegation,
    DelegationEvent,
    DelegationMember,
    ItineraryStop,
)
from waiban.visits.states import State

DELEGATION_FIELDS = [
    "id", "case_number", "title", "task_type", "purpose", "unit", "authority", "leader",
    "inviting_organisation", "inviting_organisation_kind", "funding_source", "state", "version",
    "state_entered_at", "deadline", "departure_date", "return_date", "submitted_at",
    "committed_by", "committed_at", "accepted_by", "review_opinion", "approval_level",
    "created_by", "created_at", "updated_at",
]  # fmt: skip
MEMBER_FIELDS = [
    "delegation", "person", "role", "position", "post_at_submission", "rank_at_submission",
]  # fmt: skip
STOP_FIELDS = [
    "delegation", "position", "country", "city", "arrival_date", "departure_date", "is_transit",
    "is_airside",
]  # fmt: skip
BUDGET_FIELDS = ["delegation", "kind", "amount"]
ATTACHMENT_FIELDS = [
    "delegation", "kind", "file", "original_name", "content_type", "size", "sha256",
    "uploaded_by", "uploaded_at", "is_current",
]  # fmt: skip
STEP_FIELDS = [
    "delegation", "level", "position", "is_external", "decision", "decided_by", "decided_at",
    "opinion", "external_document_number",
]  # fmt: skip
EVENT_FIELDS = [
    "delegation", "at", "actor", "action", "from_state", "to_state", "comment", "deadline",
]  # fmt: skip
NOTICE_FIELDS = ["id", "delegation", "issued_by", "issued_at", "resolved_at"]
ITEM_FIELDS = ["notice", "target", "message"]

# State mix by age: recent cases are still moving, older ones are mostly done.
RECENT_DAYS = 21
RECENT_MIX = {
    State.DRAFT: 18,
    State.PRE_REVIEW: 18,
    State.SENT_BACK: 8,
    State.UNDER_REVIEW: 20,
    State.PENDING_APPROVAL: 20,
    State.APPROVED: 10,
    State.REFUSED: 1,
    State.WITHDRAWN: 5,
}
OLD_MIX = {State.APPROVED: 84, State.REFUSED: 5, State.WITHDRAWN: 8, State.DRAFT: 3}
SPAN_DAYS = 3 * 365
# The transitions on the main path to each state (withdrawals are from the draft).
PATHS = {
    State.DRAFT: [],
    State.PRE_REVIEW: ["submit"],
    State.SENT_BACK: ["submit", "send_back"],
    State.UNDER_REVIEW: ["submit", "accept"],
    State.PENDING_APPROVAL: ["submit", "accept", "review"],
    State.APPROVED: ["submit", "accept", "review", "approve"],
    State.REFUSED: ["submit", "accept", "review", "refuse"],
    State.WITHDRAWN: ["withdraw"],
}
_TARGETS = {
    "submit": State.PRE_REVIEW,
    "send_back": State.SENT_BACK,
    "accept": State.UNDER_REVIEW,
    "review": State.PENDING_APPROVAL,
    "approve": State.APPROVED,
    "refuse": State.REFUSED,
    "withdraw": State.WITHDRAWN,
}
_ACTORS = {
    "submit": "clerk",
    "withdraw": "clerk",
    "send_back": "window",
    "accept": "window",
    "review": "reviewer",
}
_COUNTRIES = [
    (region, code, cities)
    for region, entries in catalog.DESTINATIONS.items()
    for code, _name, cities in entries
]
_BY_REGION = {
    region: [(code, cities) for code, _name, cities in entries]
    for region, entries in catalog.DESTINATIONS.items()
}


def _cumulative(mix: dict) -> tuple[list, list]:
    states, total, cum = list(mix), 0, []
    for state in states:
        total += mix[state]
        cum.append(total)
    return states, cum


class BulkLoader:
    def __init__(self, pool: Pool, rng: random.Random, *, batch_size: int = 10000):
        self.pool = pool
        self.rng = rng
        self.batch_size = batch_size
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.calendar = WorkingCalendar()
        self._deadlines: dict = {}
        self._limits: dict = {}
        self._chains = self._load_chains()
        self._recent = _cumulative(RECENT_MIX)
        self._old = _cumulative(OLD_MIX)
        self.invitation = self._shared_invitation()
        self.counts: Counter = Counter()

    def _load_chains(self) -> dict:
        chains: dict = {}
        for step in ApprovalChainStep.objects.order_by("level"):
            chains.setdefault((step.authority_id, step.rank_group), []).append(
                (step.level, step.position, step.is_external)
            )
        return chains

    def _chain(self, authority_id, rank) -> list:
        group = rank_group(rank)
        return (
            self._chains.get((authority_id, group))
            or self._chains.get((None, group))
            or DEFAULT_CHAIN[group]
        )

    def _shared_invitation(self) -> str:
        """One letter on disk for every bulk case: the rows point at the same file."""
        name = "attachments/demo/bulk-invitation.pdf"
        if not default_storage.exists(name):
            content = tiny_pdf(["Letter of Invitation", "Bulk demo data (seed_demo)."])
            name = default_storage.save(name, ContentFile(content))
        return name

    def _deadline(self, authority_id, state, start: dt.date):
        limit_key = (authority_id, state)
        if limit_key not in self._limits:
            self._limits[limit_key] = stage_limit(authority=authority_id, state=state)
        days = self._limits[limit_key]
        if days is None:
            return None
        key = (start, days)
        if key not in self._deadlines:
            self._deadlines[key] = self.calendar.add_working_days(start, days)
        return self._deadlines[key]

    def _reserve_case_numbers(self, years: Counter) -> dict[int, int]:
        """First number of a block per year, from the counter submissions use."""
        starts = {}
        for year, count in years.items():
            NumberSequence.objects.get_or_create(name="case", year=year)
            seq = NumberSequence.objects.select_for_update().get(name="case", year=year)
            starts[year] = seq.last_value + 1
            seq.last_value += count
            seq.save(update_fields=["last_value"])
        return starts

    def load(self, total: int, progress=None) -> Counter:
        done = 0
        while done < total:
            size = min(self.batch_size, total - done)
            with transaction.atomic():
                self._batch(size)
            done += size
            if progress:
                progress(done, total)
        return self.counts

    # -- one batch -------------------------------------------------------------------------

    def _plan(self, ident: int) -> dict:
        rng = self.rng
        age = rng.randrange(0, SPAN_DAYS)
        states, cum = self._recent if age <= RECENT_DAYS else self._old
        state = rng.choices(states, cum_weights=cum)[0]
        created = self.now - dt.timedelta(days=age, seconds=rng.randrange(0, 8 * 3600))
        steps = PATHS[state]
        times, moment = [], created + dt.timedelta(hours=rng.randrange(1, 96))
        for _ in steps:
            times.append(min(moment, self.now))
            moment += dt.timedelta(hours=rng.randrange(2, 72))
        return {"id": ident, "state": state, "created": created, "steps": steps, "times": times}

    def _batch(self, size: int):
        ids = reserve_ids(Delegation, size)
        plans = [self._plan(i) for i in ids]
        years = Counter(
            p["times"][0].astimezone(self.tz).year for p in plans if p["steps"][:1] == ["submit"]
        )
        starts = self._reserve_case_numbers(years)
        returned = [p for p in plans if p["state"] == State.SENT_BACK]
        notice_ids = iter(reserve_ids(CorrectionNotice, len(returned)))
        rows: dict[str, list] = {k: [] for k in ("d", "m", "s", "b", "a", "p", "e", "n", "i")}
        for plan in plans:
            self._rows(plan, starts, notice_ids, rows)
        write_rows(Delegation, DELEGATION_FIELDS, rows["d"])
        write_rows(DelegationMember, MEMBER_FIELDS, rows["m"])
        write_rows(ItineraryStop, STOP_FIELDS, rows["s"])
        write_rows(BudgetLine, BUDGET_FIELDS, rows["b"])
        write_rows(Attachment, ATTACHMENT_FIELDS, rows["a"])
        write_rows(ApprovalStep, STEP_FIELDS, rows["p"])
        write_rows(DelegationEvent, EVENT_FIELDS, rows["e"])
        write_rows(CorrectionNotice, NOTICE_FIELDS, rows["n"])
        write_rows(CorrectionItem, ITEM_FIELDS, rows["i"])
        for key, model in (("d", "delegations"), ("m", "members"), ("s", "stops"), ("e", "events")):
            self.counts[model] += len(rows[key])

    def _rows(self, plan, starts, notice_ids, rows):
        rng, pool = self.rng, self.pool
        unit = pool.pick_unit(rng)
        did, state, steps, times = plan["id"], plan["state"], plan["steps"], plan["times"]
        people = unit.draw(rng, rng.randint(2, 5))  # the most senior first: the leader
        leader = people[0]
        submitted = bool(steps) and steps[0] == "submit"
        for position, (person_id, rank, post) in enumerate(people):
            rows["m"].append(
                (
                    did,
                    person_id,
                    "leader" if position == 0 else "member",
                    position,
                    post if submitted else "",
                    rank if submitted else "",
                )
            )
        # itinerary: departure a few weeks after the case was opened
        departure = plan["created"].astimezone(self.tz).date() + dt.timedelta(
            days=rng.randrange(20, 90)
        )
        region, first_code, first_cities = rng.choice(_COUNTRIES)
        stops = [(first_code, rng.choice(first_cities))]
        for _ in range(rng.choices([0, 1, 2], weights=[5, 4, 1])[0]):
            code, cities = rng.choice(_BY_REGION[region])
            if all(code != c for c, _city in stops):
                stops.append((code, rng.choice(cities)))
        day, length = departure, 0
        for position, (code, city) in enumerate(stops):
            length = rng.randint(2, 4)
            rows["s"].append(
                (did, position, code, city, day, day + dt.timedelta(days=length), False, False)
            )
            day += dt.timedelta(days=length)
        back = day
        size = len(people)
        nights = (back - departure).days
        rows["b"].append((did, "air_fare", Decimal(catalog.AIR_FARE[region] * size)))
        rows["b"].append((did, "lodging", Decimal(catalog.LODGING[region] * nights * size)))
        rows["b"].append((did, "meals", Decimal(catalog.MEALS[region] * (nights + 1) * size)))
        created = plan["created"]
        rows["a"].append(
            (did, "invitation", self.invitation, "invitation.pdf", "application/pdf", 1000,
             "0" * 64, unit.clerk_id, created, True)
        )  # fmt: skip
        task = rng.choice(list(catalog.TASKS))
        suffixes, purpose = catalog.TASKS[task]
        host = rng.choice(catalog.HOSTS[first_code])
        title = f"{unit.short_name}赴{'、'.join(country_name(c) for c, _ in stops)}{suffixes[0]}"
        # the timeline: who did what, when
        actors = {"clerk": unit.clerk_id, **self.pool.office}
        chain = self._chain(unit.authority_id, leader[1]) if "review" in steps else []
        previous, case_number, last = State.DRAFT, None, created
        accepted_by, approval_level, version = None, 0, 1
        for action, at in zip(steps, times, strict=True):
            target = _TARGETS[action]
            if action in ("approve", "refuse"):
                position = chain[-1][1] if action == "approve" else chain[0][1]
                actor = actors[position]
            else:
                actor = actors[_ACTORS[action]]
            if action == "submit":
                year = at.astimezone(self.tz).year
                case_number = f"{year}-{starts[year]:07d}"
                starts[year] += 1
            if action == "accept":
                accepted_by = actor
            deadline = self._deadline(unit.authority_id, target, at.astimezone(self.tz).date())
            rows["e"].append((did, at, actor, action, previous, target, "", deadline))
            previous, last, version = target, at, version + 1
        for level, position, external in chain:
            decided = state in (State.APPROVED, State.REFUSED)
            refused_here = state == State.REFUSED and level == chain[0][0]
            approved_here = state == State.APPROVED
            decision = "refused" if refused_here else "approved" if approved_here else ""
            rows["p"].append(
                (did, level, position, external, decision,
                 actors[position] if decided and decision else None,
                 last if decided and decision else None,
                 "同意。" if decision == "approved" else "不予同意。" if decision else "",
                 f"外审〔{last.year}〕{did % 1000}号" if external and decision else "")
            )  # fmt: skip
        if chain:
            approval_level = chain[-1][0] if state == State.APPROVED else chain[0][0]
        if state == State.SENT_BACK:
            notice = next(notice_ids)
            rows["n"].append((notice, did, actors["window"], last, None))
            target, message = rng.choice(catalog.CORRECTIONS)
            rows["i"].append((notice, target, message))
        open_clock = state in (State.PRE_REVIEW, State.UNDER_REVIEW, State.PENDING_APPROVAL)
        deadline = (
            self._deadline(unit.authority_id, state, last.astimezone(self.tz).date())
            if open_clock
            else None
        )
        committed = state != State.DRAFT or rng.random() < 0.5
        rows["d"].append(
            (
                did, case_number, title, task, purpose.format(host=host), unit.unit_id,
                unit.authority_id, leader[0], host, host_kind(host), "fiscal", state, version,
                last, deadline,
                departure, back, times[0] if submitted else None,
                unit.head_id if committed else None,
                created + dt.timedelta(minutes=30) if committed else None,
                accepted_by,
                catalog.REVIEW_OPINIONS[0] if "review" in steps else "",
                approval_level, unit.clerk_id, created, last,
            )
        )  # fmt: skip
