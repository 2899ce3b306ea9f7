"""Putting the demo together: organisation, people, showcase cases, then the optional bulk."""

import random
import time
from dataclasses import dataclass, field

from django.db import connection, transaction

from waiban.accounts.models import Authority, Unit, User
from waiban.core.audit import audit_record
from waiban.demo.bulk import BulkLoader
from waiban.demo.controls import create_demo_lists
from waiban.demo.organisation import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    create_organisation,
    create_users,
)
from waiban.demo.people import create_people
from waiban.demo.pool import add_units, load_pool
from waiban.demo.stories import create_showcase
from waiban.demo.travellers import add_people
from waiban.demo.visas import create_demo_visas
from waiban.hall.demo import create_demo_hall
from waiban.notices.moves import moves_muted
from waiban.people.models import Person
from waiban.plans.demo import create_demo_plans
from waiban.visits.models import Delegation

SHOWCASE = 100  # cases walked through the services; the rest (if any) are bulk rows
# The scale path (waiban.demo.pool, travellers): 1,000,000 cases -> 2,000 units, 500,000 people.
MAX_UNITS = 2000
CASES_PER_UNIT = 100
CASES_PER_PERSON = 2
DEFAULT_SEED = 2026


class DemoDataExists(Exception):
    pass


@dataclass
class Summary:
    units: int = 0
    people: int = 0
    showcase: int = 0
    bulk: int = 0
    seconds: float = 0.0
    rows: dict = field(default_factory=dict)


def has_data() -> bool:
    """Anything an office would have entered: then the demo must not mix itself in."""
    return (
        Authority.objects.exists()
        or Unit.objects.exists()
        or Person.objects.exists()
        or Delegation.objects.exists()
    )


def seed_demo(*, delegations: int = SHOWCASE, seed: int = DEFAULT_SEED, progress=None) -> Summary:
    if has_data():
        raise DemoDataExists("the database already holds offices, units, people or cases")
    clash = User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    if clash.exists():
        raise DemoDataExists(
            f"demo user names already taken: {list(clash.values_list('username', flat=True))}"
        )
    started = time.monotonic()
    rng = random.Random(seed)
    showcase = min(delegations, SHOWCASE)
    with transaction.atomic():
        org = create_organisation(rng)
        create_users(org, rng)
        people = create_people(org, rng)
        with moves_muted():  # the demo's past: its notices would flood the inboxes and mail
            create_showcase(org, people, rng, showcase)
            create_demo_plans(seed=seed)
            create_demo_lists(org)
            create_demo_visas(rng)
            create_demo_hall(org)
        audit_record(
            actor=None,
            action="demo.seed",
            obj=org.province,
            new={"seed": seed, "showcase_delegations": showcase},
        )
    summary = Summary(showcase=showcase)
    bulk = delegations - showcase
    if bulk > 0:
        with transaction.atomic():
            # one more unit per hundred cases, up to 2,000 in all
            add_units(rng, min(MAX_UNITS - Unit.objects.count(), bulk // CASES_PER_UNIT))
        # half a person per delegation: a few trips each in the three years (travellers.py)
        people = add_people(rng, delegations // CASES_PER_PERSON)
        loader = BulkLoader(load_pool(rng), rng)
        summary.rows = {"people": people, **loader.load(bulk, progress=progress)}
        summary.bulk = bulk
        _refresh_planner_statistics()
        audit_record(
            actor=None, action="demo.bulk_load", obj=org.province, new={"rows": summary.rows}
        )
    summary.units = Unit.objects.count()
    summary.people = Person.objects.count()
    summary.seconds = time.monotonic() - started
    return summary


def _refresh_planner_statistics():
    """Right after a bulk load PostgreSQL's statistics still describe empty tables, and its
    plans for the first pages are off by orders of magnitude until autovacuum catches up."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def accounts_table() -> list[str]:
    """The demo accounts that exist in this database, one line each, for the console."""
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[a.username for a in DEMO_ACCOUNTS]
        ).select_related("unit", "authority")
    }
    lines = []
    for account in DEMO_ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            continue
        where = user.unit or user.authority or "-"
        role = account.role + (
            f" ({account.approver_position})" if account.approver_position else ""
        )
        lines.append(f"  {account.username:<11} {role:<31} {user.full_name:<6}\t{where}")
    if lines:
        lines.append(f"  password for every demo account: {DEMO_PASSWORD}")
    return lines
