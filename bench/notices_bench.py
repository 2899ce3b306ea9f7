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
   way, the extra for notices split into the notices' receiver of ``moved`` (recipients, the
   outbox rows) and the queueing after the commit, the raw insert, and the ratio of the extra
   to the raw insert against the target.
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
import shutil
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
# The target is that notices add to a move no more than the insert of its outbox rows.
# They cannot do with the insert alone: they must read the recipients first (one indexed query
# per audience, each costing about as much as the insert), and the figure is the difference of
# two means that move by ±20 % on a shared machine. Hence a tolerance of twice the raw insert.
TARGET_RATIO = 2.0


def build_world(*, cases: int) -> dict:
    """The office, its units and ``cases`` submitted cases, written in bulk (factories would
    take minutes for 20,000 cases)."""
    from django.utils import timezone

    from waiban.accounts.models import Unit, User
    from waiban.accounts.roles import ApproverPosition, Role
    from waiban.notices.models import NoticePreference
    from waiban.testing.factories import AuthorityFactory
    from waiban.testing.ids import make_uscc
    from waiban.visits.models import Delegation, DelegationEvent
    from waiban.visits.states import State

    def user(name, role, **where):
        # An unusable password: nobody logs in, and hashing 600 would take minutes.
        return User(
            username=name,
            full_name=name,
            role=role,
            email=f"{name}@b.example",
            password="!",
            **where,
        )

    authority = AuthorityFactory(name="基准测试外办")
    office = [(Role.WINDOW_CLERK, 2, ""), (Role.REVIEWER, REVIEWERS, "")] + [
        (Role.APPROVER, 1, position)
        for position in (ApproverPosition.DIVISION_HEAD, ApproverPosition.OFFICE_LEADER)
    ]
    User.objects.bulk_create(
        user(f"bench-{role}-{position}{i}", role, authority=authority, approver_position=position)
        for role, count, position in office
        for i in range(count)
    )
    units = Unit.objects.bulk_create(
        Unit(
            name=f"基准测试单位{i}",
            level=Unit.Level.PROVINCIAL,
            authority=authority,
            uscc=make_uscc(700_000 + i),
        )
        for i in range(max(1, -(-cases // CASES_PER_UNIT)))
    )
    User.objects.bulk_create(
        user(f"bench-u{unit.pk}-{role}{i}", role, unit=unit)
        for unit in units
        for role, i in [(Role.UNIT_CLERK, 0), (Role.UNIT_CLERK, 1), (Role.UNIT_HEAD, 0)]
    )
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
    batch = [
        Delegation(
            title=f"赴德国经贸考察团（基准测试{i}）",
            task_type="business_talks",
            purpose="商务洽谈",
            unit=units[i % len(units)],
            authority=authority,
            inviting_organisation="Bench GmbH",
            state=State.PRE_REVIEW,
            case_number=f"{today.year}-{9_000_000 + i:07d}",
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


def timing(function, totals, key):
    """``function``, adding the time of each call to ``totals[key(*args, **kwargs)]``."""

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[key(*args, **kwargs)] += time.perf_counter() - started

    return timed


@contextmanager
def replaced(module, name, wrap):
    original = getattr(module, name)
    setattr(module, name, wrap(original))
    try:
        yield
    finally:
        setattr(module, name, original)


@contextmanager
def receiver_replaced(wrap):
    """The notices' receiver of ``moved`` (recipients, outbox rows) replaced by ``wrap`` of it."""
    from waiban.core.transitions import moved
    from waiban.notices.moves import notify_move

    uid = "waiban.notices.notify_move"
    moved.disconnect(dispatch_uid=uid)
    moved.connect(wrap(notify_move), dispatch_uid=uid, weak=False)
    try:
        yield
    finally:
        moved.disconnect(dispatch_uid=uid)
        moved.connect(notify_move, dispatch_uid=uid)


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
    """Part 1: the moves with notices, muted, and the raw insert, in turns. Returns the figures
    per move, and the outbox rows of the untimed moves."""
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
    # The extra's parts: the receiver's time (recipients, outbox rows) is added to the side
    # running at the time; the task queueing after the commit to "after".
    parts = defaultdict(float)
    sides = {"on": accept, "muted": muted_accept}
    side = "on"
    with (
        replaced(outbox_services, "_enqueue", lambda f: timing(f, parts, lambda *_: "after")),
        receiver_replaced(lambda f: timing(f, parts, lambda *_, **__: side)),
    ):
        wall, cpu = time.perf_counter(), time.process_time()
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
        load = _cpu_share(wall, cpu)
    written = OutboxMessage.objects.filter(topic=TOPIC).count()
    expected = (transitions + 2) * per_move
    if written != expected:
        raise AssertionError(f"the moves wrote {written} outbox rows, expected {expected}")

    ms = {side: 1000 * seconds / transitions for side, seconds in timings.items()}
    extra = ms["on"] - ms["muted"]
    after_commit = 1000 * parts["after"] / transitions
    inside = 1000 * parts["on"] / transitions
    ratio = extra / ms["raw"] if ms["raw"] else float("inf")
    met = ratio <= TARGET_RATIO
    out(
        f"accepting a case: {transitions:,} with notices, {transitions:,} muted, "
        f"in turns of {batch}; {per_move} outbox rows per move; {load}"
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
        f"{'ok' if met else 'MISSED'}); in the move alone: {inside / ms['raw']:.1f}x"
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


def deliver_all(*, warm_up_messages, out):
    """Part 2: deliver every queued notice, the warm-up moves' first (their queries counted).
    Returns the figures."""
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
    queries = defaultdict(list)
    for pk in warm_up_messages:
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            outbox_services.outbox_deliver(message_id=pk)
        queries[channel_of[pk]].append(len(captured))

    per_channel = defaultdict(float)
    delivered = len(warm_up_messages)

    def by_channel(deliver):  # each message timed whole (claim, handler, done), by its channel
        return timing(deliver, per_channel, lambda *, message_id, **_: channel_of[message_id])

    with replaced(outbox_services, "outbox_deliver", by_channel):
        started, cpu = time.perf_counter(), time.process_time()
        while done := outbox_services.outbox_deliver_due():
            delivered += done
        elapsed = time.perf_counter() - started
        load = _cpu_share(started, cpu)
    warm = set(warm_up_messages)
    counted = Counter(channel for pk, channel in channel_of.items() if pk not in warm)
    timed_count = sum(counted.values())

    states = dict(
        OutboxMessage.objects.filter(topic=TOPIC).values_list("state").annotate(n=Count("pk"))
    )
    out(
        f"delivering {timed_count:,} notices: {elapsed:.1f} s, "
        f"{timed_count / elapsed:,.0f} notices/s; {load}"
    )
    scan = elapsed - sum(per_channel.values())
    out(f"  {'':44} {'messages':>9} {'ms each':>8} {'share':>7} {'queries':>8}")
    for label, count, seconds, most in [
        ("in the app", counted["inbox"], per_channel["inbox"], max(queries["inbox"])),
        ("e-mail (file backend)", counted["email"], per_channel["email"], max(queries["email"])),
        ("SMS (HTTP gateway)", counted["sms"], per_channel["sms"], max(queries["sms"])),
        ("finding the next due message", timed_count, scan, 1),
    ]:
        each = 1000 * seconds / count if count else 0.0
        out(f"  {label:44} {count:9,} {each:8.2f} {100 * seconds / elapsed:6.1f}% {most:8}")
    return {
        "delivered": delivered,
        "seconds": elapsed,
        "per_second": timed_count / elapsed if elapsed else 0.0,
        "share": {c: per_channel[c] / elapsed for c in ("inbox", "email", "sms")},
        "share_scan": scan / elapsed,
        "states": states,
        "queries": {c: max(v) for c, v in queries.items()},
    }


def _cpu_share(wall_start, cpu_start) -> str:
    """How much of the wall time this process had the CPU (its SMS gateway thread included;
    PostgreSQL's work not): well under 100 % on SQLite means a busy machine slowed the run."""
    wall = time.perf_counter() - wall_start
    share = (time.process_time() - cpu_start) / wall if wall else 0.0
    return f"this process on the CPU {share:.0%} of the time"


def check_each_once(*, rows: int, mail_dir, gateway) -> dict:
    """Every notice the moves queued (``rows`` outbox rows) arrived exactly once on its channel:
    outbox rows done, inbox rows, e-mails by Message-ID, SMS by Idempotency-Key at the gateway,
    deliveries logged; nothing failed or left pending. Returns what was found by channel."""
    from waiban.notices.models import Notice, NoticeDelivery
    from waiban.notices.routing import TOPIC
    from waiban.outbox.models import OutboxMessage

    queued = OutboxMessage.objects.filter(topic=TOPIC)
    expected = Counter(payload["channel"] for payload in queued.values_list("payload", flat=True))
    mails = []
    for path in Path(mail_dir).glob("*.log"):  # the file backend: messages split by dashes
        for chunk in path.read_text(encoding="utf-8").split("-" * 79):
            if chunk.strip():
                mails.append(email.message_from_string(chunk.strip())["Message-ID"])
    sms = gateway.keys()
    found = {
        "outbox rows": queued.count(),
        "outbox rows done": queued.filter(state=OutboxMessage.State.DONE).count(),
        "inbox": Notice.objects.filter(key__startswith="notice:").count(),
        "email": len(mails),
        "email distinct": len(set(mails)),
        "sms": len(sms),
        "sms distinct": len(set(sms)),
        "logged": NoticeDelivery.objects.filter(outcome=NoticeDelivery.Outcome.SENT).count(),
    }
    want = {
        "outbox rows": rows,
        "outbox rows done": rows,
        "inbox": expected["inbox"],
        "email": expected["email"],
        "email distinct": expected["email"],
        "sms": expected["sms"],
        "sms distinct": expected["sms"],
        "logged": expected["email"] + expected["sms"],
    }
    wrong = {name: (found[name], want[name]) for name in want if found[name] != want[name]}
    if wrong:
        raise AssertionError(f"not delivered exactly once (found, expected): {wrong}")
    return found


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
            delivery = deliver_all(warm_up_messages=moves.pop("warm_up_messages"), out=out)
            # The timed moves and the two untimed ones that told people.
            rows = (transitions + 2) * moves["per_move_rows"]
            counts = check_each_once(rows=rows, mail_dir=mail_dir, gateway=gateway)
            out(
                f"each notice delivered exactly once: {counts['inbox']:,} in the app, "
                f"{counts['email']:,} e-mails, {counts['sms']:,} SMS; none failed"
            )
    finally:
        gateway.close()
    return {"moves": moves, "delivery": delivery, "counts": counts}


@contextmanager
def throwaway_database():
    """A SQLite file in a temporary folder, or the bench's own PostgreSQL database."""
    tmp = Path(tempfile.mkdtemp(prefix="waiban-notices-bench-"))
    try:
        yield from _database_in(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # the SQLite file, tens of thousands of e-mails


def _database_in(tmp):
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
    connection.settings_dict["TEST"]["NAME"] = BENCH_DATABASE
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
