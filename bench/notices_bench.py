"""Benchmark of notices (issue #13, "Speed"): what telling people costs a move of a case, and how
fast the worker delivers what the moves queued.

    .venv/bin/python bench/notices_bench.py [--transitions 10000] [--quick] [--batch 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waiban_bench_notices \\
        .venv/bin/python bench/notices_bench.py

The database is thrown away: a SQLite file in a temporary folder by default; with DATABASE_URL
(PostgreSQL), the database ``waiban_bench_notices`` on that server, created (dropped first if a
run left it) and dropped at the end. The database the URL names is never touched, so a URL of
the demo's database is safe.

The world, written in bulk: one office with 2 window clerks, 3 reviewers and 2 approvers;
units (one per 50 cases) of 2 clerks and 1 head each, every one with an e-mail address and a
mobile number for SMS (no quiet hours, so the run does not depend on the clock); 2 × N + 4
submitted cases (``pre_review``) spread over the units, each with its submission in the history.
Accepting a case at the window tells the unit's 2 clerks (in the app, by e-mail and SMS) and
the office's 3 reviewers (in the app and by e-mail): 12 outbox rows per move.

1. The move: N cases accepted with notices on and N with ``moves_muted()`` (which sends the
   same ``moved`` signal, answered at once), in batches of ``--batch`` taking turns which side
   goes first, so a noisy minute slows both alike; each accept is its own transaction, as in a
   request, and includes what runs after the commit (queueing one delivery task per outbox row
   in the database task backend the worker reads). Between the two, in the same turns, a raw
   ``bulk_create`` of the rows one move writes (12 outbox rows of the same shape, timed without
   its transaction's BEGIN and COMMIT, which the move has anyway). Printed: ms per move each
   way, the extra for notices, the raw insert, and their ratio against the target.
2. Delivery: every queued notice through ``outbox_deliver_due`` in this process (claim, the
   handler ``notice_deliver``, mark done): the inbox row, e-mail through Django's file backend
   into a temporary folder, SMS over HTTP to a real gateway on a local port
   (waiban.testing.sms.GatewayServer). Printed: notices per second, and the share of the time
   spent per channel (each message timed whole, by its channel) and in finding the next due row.
   The run then checks that every expected notice arrived exactly once on its channel: inbox
   rows, e-mails by Message-ID, SMS by Idempotency-Key at the gateway, and no failure.

Queries per move and per delivered message are counted apart from the timed loops (the first
moves, untimed).
"""

import argparse
import datetime as dt
import email
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE = "waiban_bench_notices"
CASES_PER_UNIT = 50
REVIEWERS = 3
# Target: the notices may add to a move no more than this many times the raw insert of its
# outbox rows (see README, Benchmarks).
TARGET_RATIO = 2.0


def build_world(*, cases: int, rng_seed: int = 13) -> dict:
    """The office, its units and ``cases`` submitted cases, written in bulk (factories would
    take minutes for 20,000 cases and hash 600 passwords)."""
    from django.utils import timezone

    from waiban.accounts.models import Unit, User
    from waiban.accounts.roles import ApproverPosition, Role
    from waiban.notices.models import NoticePreference
    from waiban.testing.factories import AuthorityFactory
    from waiban.testing.ids import make_uscc
    from waiban.visits.models import Delegation, DelegationEvent
    from waiban.visits.states import State

    authority = AuthorityFactory(name="基准测试外办")
    office = []
    for role, count, position in [
        (Role.WINDOW_CLERK, 2, ""),
        (Role.REVIEWER, REVIEWERS, ""),
        (Role.APPROVER, 1, ApproverPosition.DIVISION_HEAD),
        (Role.APPROVER, 1, ApproverPosition.OFFICE_LEADER),
    ]:
        for i in range(count):
            name = f"bench-{role}-{position or 'x'}-{i}"
            office.append(
                User(
                    username=name,
                    full_name=name,
                    role=role,
                    authority=authority,
                    approver_position=position,
                    email=f"{name}@office.example",
                    password="!",  # unusable: nobody logs in
                )
            )
    User.objects.bulk_create(office)
    units = Unit.objects.bulk_create(
        Unit(
            name=f"基准测试单位{i}",
            level=Unit.Level.PROVINCIAL,
            authority=authority,
            uscc=make_uscc(700_000 + rng_seed * 10_000 + i),
        )
        for i in range(max(1, -(-cases // CASES_PER_UNIT)))
    )
    people = []
    for unit in units:
        for role, i in [(Role.UNIT_CLERK, 0), (Role.UNIT_CLERK, 1), (Role.UNIT_HEAD, 0)]:
            name = f"bench-u{unit.pk}-{role}-{i}"
            people.append(
                User(
                    username=name,
                    full_name=name,
                    role=role,
                    unit=unit,
                    email=f"{name}@unit.example",
                    password="!",
                )
            )
    User.objects.bulk_create(people)
    users = list(User.objects.filter(username__startswith="bench-").order_by("pk"))
    NoticePreference.objects.bulk_create(
        NoticePreference(
            user=user,
            mobile=f"139{user.pk:08d}" if user.unit_id else "",
            has_mobile=bool(user.unit_id),  # save() sets it; bulk_create does not call save()
            # No quiet hours: an SMS queued at night would wait for the morning.
            quiet_from=dt.time(0, 0),
            quiet_until=dt.time(0, 0),
        )
        for user in users
    )
    clerk_of = {u.unit_id: u for u in users if u.role == Role.UNIT_CLERK}
    now = timezone.now()
    today = timezone.localdate()
    year = today.year
    batch = [
        Delegation(
            title=f"赴德国经贸考察团（基准测试{i}）",
            task_type="business_talks",
            purpose="商务洽谈",
            unit=units[i % len(units)],
            authority=authority,
            inviting_organisation="Bench GmbH",
            state=State.PRE_REVIEW,
            case_number=f"{year}-{9_000_000 + i:07d}",
            submitted_at=now,
            committed_at=now,
            deadline=today + dt.timedelta(days=3),
            departure_date=today + dt.timedelta(days=60),
            return_date=today + dt.timedelta(days=65),
            created_by=clerk_of[units[i % len(units)].pk],
        )
        for i in range(cases)
    ]
    Delegation.objects.bulk_create(batch, batch_size=2000)
    cases_list = list(
        Delegation.objects.filter(authority=authority, state=State.PRE_REVIEW).order_by("pk")
    )
    DelegationEvent.objects.bulk_create(
        (
            DelegationEvent(
                delegation=case,
                actor_id=case.created_by_id,
                action="submit",
                from_state=State.DRAFT,
                to_state=State.PRE_REVIEW,
                deadline=case.deadline,
            )
            for case in cases_list
        ),
        batch_size=2000,
    )
    return {
        "window_clerks": [u for u in users if u.role == Role.WINDOW_CLERK],
        "cases": cases_list,
        "units": len(units),
        "users": len(users),
    }


def accept(case, actor) -> None:
    from waiban.visits.workflow import delegation_accept

    delegation_accept(delegation=case, actor=actor)


@contextmanager
def patched(module, name, wrapper_of):
    original = getattr(module, name)
    setattr(module, name, wrapper_of(original))
    try:
        yield
    finally:
        setattr(module, name, original)


def _timed_into(totals, key):
    def wrap(function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                totals[key] += time.perf_counter() - started

        return timed

    return wrap


@contextmanager
def timed_receiver(totals):
    """Time the notices' receiver of ``moved`` (finding the recipients, writing the outbox
    rows), into ``totals["on"]`` or ``totals["muted"]``."""
    from waiban.core.transitions import moved
    from waiban.notices import moves

    uid = "waiban.notices.notify_move"

    def timed(*args, **kwargs):
        side = "muted" if getattr(moves._muted, "on", False) else "on"
        started = time.perf_counter()
        try:
            return moves.notify_move(*args, **kwargs)
        finally:
            totals[side] += time.perf_counter() - started

    moved.disconnect(dispatch_uid=uid)
    moved.connect(timed, dispatch_uid=uid, weak=False)
    try:
        yield
    finally:
        moved.disconnect(dispatch_uid=uid)
        moved.connect(moves.notify_move, dispatch_uid=uid)


def raw_rows(template, batch_number, position):
    """Outbox rows shaped like one move's (same topic length, keys, payloads), already done, so
    no delivery picks them up."""
    from django.utils import timezone

    from waiban.outbox.models import OutboxMessage

    now = timezone.now()
    return [
        OutboxMessage(
            topic="notices.deliver.raw",
            key=f"raw:{batch_number}:{position}:{n}:{key}"[:200],
            payload=payload,
            state=OutboxMessage.State.DONE,
            next_attempt_at=now,
            enqueued_at=now,
            created_at=now,
        )
        for n, (key, payload) in enumerate(template)
    ]


def time_moves(world, *, transitions, batch, out):
    """Part 1. Returns the figures per move."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from waiban.notices.moves import moves_muted
    from waiban.notices.routing import TOPIC
    from waiban.outbox import services as outbox_services
    from waiban.outbox.models import OutboxMessage

    clerks = world["window_clerks"]
    spare, rest = world["cases"][:4], world["cases"][4:]
    loud, quiet = rest[0::2][:transitions], rest[1::2][:transitions]

    def muted_accept(case, actor):
        with moves_muted():
            accept(case, actor)

    # Warm-up (caches of reference data, the connection, Python's first calls), then one move
    # each way with its queries counted.
    accept(spare[0], clerks[0])
    muted_accept(spare[1], clerks[0])
    queries = {}
    for side, case, function in [("on", spare[2], accept), ("muted", spare[3], muted_accept)]:
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            function(case, clerks[1])
        queries[side] = len(captured)
    before = list(OutboxMessage.objects.values_list("pk", "key", "payload"))
    per_move = len(before) // 2
    if not before or len(before) % 2:
        raise AssertionError(f"expected the same rows from each warm-up move, got {len(before)}")
    template = [(key, payload) for _, key, payload in before[:per_move]]

    timings = defaultdict(float)
    parts = defaultdict(float)
    sides = {"on": accept, "muted": muted_accept}
    with (
        patched(outbox_services, "_enqueue", _timed_into(parts, "after_commit")),
        timed_receiver(parts),
    ):
        for number, start in enumerate(range(0, transitions, batch)):
            order = ["on", "muted"] if number % 2 == 0 else ["muted", "on"]
            chunks = {"on": loud[start : start + batch], "muted": quiet[start : start + batch]}
            for side in order:
                function = sides[side]
                started = time.perf_counter()
                for position, case in enumerate(chunks[side]):
                    function(case, clerks[position % 2])
                timings[side] += time.perf_counter() - started
            for position in range(len(chunks["on"])):
                rows = raw_rows(template, number, position)
                with transaction.atomic():
                    started = time.perf_counter()
                    OutboxMessage.objects.bulk_create(rows)
                    timings["raw"] += time.perf_counter() - started
    written = OutboxMessage.objects.filter(topic=TOPIC).count()
    expected = (transitions + 2) * per_move
    if written != expected:
        raise AssertionError(f"the moves wrote {written} outbox rows, expected {expected}")

    ms = {side: 1000 * seconds / transitions for side, seconds in timings.items()}
    extra = ms["on"] - ms["muted"]
    after_commit = 1000 * parts["after_commit"] / transitions
    inside = 1000 * parts["on"] / transitions
    ratio = extra / ms["raw"] if ms["raw"] else float("inf")
    met = ratio <= TARGET_RATIO
    out(
        f"accepting a case: {transitions:,} with notices, {transitions:,} muted, "
        f"in turns of {batch}; {per_move} outbox rows per move"
    )
    out(f"  {'':44} {'ms/move':>9} {'queries':>8}")
    out(f"  {'with notices':44} {ms['on']:9.2f} {queries['on']:8}")
    out(f"  {'notices muted':44} {ms['muted']:9.2f} {queries['muted']:8}")
    out(f"  {'extra for notices':44} {extra:9.2f} {queries['on'] - queries['muted']:8}")
    out(f"  {'  in the move: recipients, outbox rows':44} {inside:9.2f}")
    out(f"  {f'  after the commit: {per_move} delivery tasks':44} {after_commit:9.2f} {per_move:8}")
    out(f"  {f'raw bulk_create of {per_move} outbox rows':44} {ms['raw']:9.2f} {1:8}")
    out(
        f"  extra / raw insert: {ratio:.1f}x  (target <= {TARGET_RATIO:g}x: "
        f"{'ok' if met else 'MISSED'})"
    )
    return {
        "per_move_rows": per_move,
        "ms_on": ms["on"],
        "ms_muted": ms["muted"],
        "ms_raw": ms["raw"],
        "ms_extra": extra,
        "ms_after_commit": after_commit,
        "ms_in_move": inside,
        "ratio": ratio,
        "target_met": met,
        "queries_on": queries["on"],
        "queries_muted": queries["muted"],
        "warm_up_messages": [pk for pk, _, _ in before],
    }


def deliver_all(*, warm_up_messages, mail_dir, gateway, out):
    """Part 2: deliver every queued notice. Returns counts and timings."""
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from waiban.notices.routing import TOPIC
    from waiban.outbox import services as outbox_services
    from waiban.outbox.models import OutboxMessage

    channel_of = {
        pk: payload["channel"]
        for pk, payload in OutboxMessage.objects.filter(topic=TOPIC).values_list("pk", "payload")
    }
    # The warm-up moves' notices first, one by one, with their queries counted by channel.
    queries = defaultdict(list)
    for pk in warm_up_messages:
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            outbox_services.outbox_deliver(message_id=pk)
        queries[channel_of[pk]].append(len(captured))

    per_channel = defaultdict(float)
    counted = Counter()

    def by_channel(function):
        def timed(*, message_id, **kwargs):
            started = time.perf_counter()
            try:
                return function(message_id=message_id, **kwargs)
            finally:
                per_channel[channel_of.get(message_id, "other")] += time.perf_counter() - started
                counted[channel_of.get(message_id, "other")] += 1

        return timed

    delivered = len(warm_up_messages)
    with patched(outbox_services, "outbox_deliver", by_channel):
        started = time.perf_counter()
        while True:
            done = outbox_services.outbox_deliver_due()
            delivered += done
            if not done:
                break
        elapsed = time.perf_counter() - started
    timed_count = sum(counted.values())

    states = dict(
        OutboxMessage.objects.filter(topic=TOPIC).values_list("state").annotate(n=Count("pk"))
    )
    out(
        f"delivering {timed_count:,} notices: {elapsed:.1f} s, "
        f"{timed_count / elapsed:,.0f} notices/s"
    )
    out(f"  {'':44} {'messages':>9} {'ms each':>8} {'share':>7} {'queries':>8}")
    for channel, label in [("inbox", "in the app"), ("email", "e-mail (file backend)")]:
        _channel_line(out, label, counted[channel], per_channel[channel], elapsed, queries[channel])
    _channel_line(
        out, "SMS (HTTP gateway)", counted["sms"], per_channel["sms"], elapsed, queries["sms"]
    )
    scan = elapsed - sum(per_channel.values())
    out(
        f"  {'finding the next due message':44} {timed_count:9,} "
        f"{1000 * scan / max(timed_count, 1):8.2f} {100 * scan / elapsed:6.1f}% {1:8}"
    )
    return {
        "delivered": delivered,
        "seconds": elapsed,
        "per_second": timed_count / elapsed if elapsed else 0.0,
        "share": {c: per_channel[c] / elapsed for c in ("inbox", "email", "sms")},
        "share_scan": scan / elapsed,
        "states": states,
        "queries": {c: max(v) for c, v in queries.items()},
    }


def _channel_line(out, label, count, seconds, elapsed, queries):
    each = 1000 * seconds / count if count else 0.0
    most = max(queries) if queries else 0
    out(f"  {label:44} {count:9,} {each:8.2f} {100 * seconds / elapsed:6.1f}% {most:8}")


def check_each_once(*, moves_told, per_move_rows, mail_dir, gateway) -> dict:
    """Every expected notice arrived exactly once on its channel, and nothing failed."""
    from waiban.notices.models import Notice, NoticeDelivery
    from waiban.notices.routing import TOPIC
    from waiban.outbox.models import OutboxMessage

    expected = Counter()
    for payload in OutboxMessage.objects.filter(topic=TOPIC).values_list("payload", flat=True):
        expected[payload["channel"]] += 1
    message_ids = []
    for path in Path(mail_dir).glob("*.log"):
        text = path.read_text(encoding="utf-8")
        for chunk in text.split("-" * 79):
            if chunk.strip():
                message_ids.append(email.message_from_string(chunk.strip())["Message-ID"])
    sms_keys = gateway.keys()
    found = {
        "outbox rows": OutboxMessage.objects.filter(topic=TOPIC).count(),
        "outbox rows done": OutboxMessage.objects.filter(
            topic=TOPIC, state=OutboxMessage.State.DONE
        ).count(),
        "outbox rows failed or pending": OutboxMessage.objects.filter(topic=TOPIC)
        .exclude(state=OutboxMessage.State.DONE)
        .count(),
        "inbox": Notice.objects.filter(key__startswith="notice:").count(),
        "email": len(message_ids),
        "email distinct": len(set(message_ids)),
        "sms": len(sms_keys),
        "sms distinct": len(set(sms_keys)),
        "logged deliveries": NoticeDelivery.objects.filter(
            outcome=NoticeDelivery.Outcome.SENT
        ).count(),
    }
    want = {
        "outbox rows": moves_told * per_move_rows,
        "outbox rows done": moves_told * per_move_rows,
        "outbox rows failed or pending": 0,
        "inbox": expected["inbox"],
        "email": expected["email"],
        "email distinct": expected["email"],
        "sms": expected["sms"],
        "sms distinct": expected["sms"],
        "logged deliveries": expected["email"] + expected["sms"],
    }
    wrong = {name: (found[name], want[name]) for name in want if found[name] != want[name]}
    if wrong:
        raise AssertionError(f"delivered not exactly once (found, expected): {wrong}")
    return {"found": found, "expected": dict(expected)}


def run(*, transitions: int, batch: int = 50, workdir=None, out=print) -> dict:
    """The whole bench on the current database (a throw-away one: it writes thousands of
    rows and leaves them). Returns the figures and the verified counts."""
    from django.test.utils import override_settings

    from waiban.testing.sms import GatewayServer

    workdir = Path(workdir or tempfile.mkdtemp(prefix="waiban-notices-bench-"))
    mail_dir = workdir / "mail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    gateway = GatewayServer()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail_dir),
            WAIBAN_SITE_URL="https://waiban.example.gov.cn",
            WAIBAN_SMS={
                "backend": "http",
                "url": gateway.url,
                "body": "",
                "token": "bench-token",
                "timeout": 10,
                "folder": workdir / "sms",
            },
            # What the worker reads: one task row per outbox row, written after the commit.
            TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        ):
            started = time.perf_counter()
            world = build_world(cases=2 * transitions + 4)
            out(
                f"world: 1 office (2 window clerks, {REVIEWERS} reviewers, 2 approvers), "
                f"{world['units']:,} units, {world['users']:,} users, "
                f"{len(world['cases']):,} cases in pre_review "
                f"({time.perf_counter() - started:.1f} s)"
            )
            moves = time_moves(world, transitions=transitions, batch=batch, out=out)
            delivery = deliver_all(
                warm_up_messages=moves.pop("warm_up_messages"),
                mail_dir=mail_dir,
                gateway=gateway,
                out=out,
            )
            counts = check_each_once(
                moves_told=transitions + 2,
                per_move_rows=moves["per_move_rows"],
                mail_dir=mail_dir,
                gateway=gateway,
            )
            out(
                "each notice delivered exactly once: "
                + ", ".join(f"{n:,} {c}" for c, n in sorted(counts["expected"].items()))
                + " (outbox rows done, inbox rows, e-mails by Message-ID, SMS by key at the "
                "gateway); no failure"
            )
    finally:
        gateway.close()
    return {"moves": moves, "delivery": delivery, "counts": counts}


@contextmanager
def throwaway_database():
    """A SQLite file in a temporary folder, or the bench's own PostgreSQL database."""
    tmp = Path(tempfile.mkdtemp(prefix="waiban-notices-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="waiban.settings",
        WAIBAN_VAR_DIR=str(tmp),
        WAIBAN_LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        call_command("migrate", verbosity=0)
        yield tmp, f"SQLite {settings.DATABASES['default']['NAME']}"
        return
    settings.DATABASES["default"]["TEST"] = {"NAME": BENCH_DATABASE}
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        version = connection.cursor().connection.info.server_version
        yield tmp, f"PostgreSQL {version // 10000}.{version % 100}, database {BENCH_DATABASE}"
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transitions", type=int, default=10_000, help="moves with notices")
    parser.add_argument("--quick", action="store_true", help="500 moves (a smoke run)")
    parser.add_argument("--batch", type=int, default=50, help="moves per turn")
    args = parser.parse_args()
    transitions = 500 if args.quick else args.transitions
    with throwaway_database() as (workdir, database):
        print(f"notices bench on {database}")
        run(transitions=transitions, batch=args.batch, workdir=workdir)


if __name__ == "__main__":
    main()
