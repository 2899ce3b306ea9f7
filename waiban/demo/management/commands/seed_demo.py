"""``manage.py seed_demo``: a believable province to click through, or millions of rows to
measure with. The logic lives in ``waiban.demo``."""

from django.core.management.base import BaseCommand, CommandError

from waiban.demo.seed import (
    DEFAULT_SEED,
    SHOWCASE,
    DemoDataExists,
    accounts_table,
    has_data,
    seed_demo,
)


class Command(BaseCommand):
    help = (
        "Create demo data: the Guangxi FAO with city and county offices, 20 units, ~300 people, "
        "one user per role and delegations in every workflow state."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but list the demo accounts) when the database already has data.",
        )
        parser.add_argument(
            "--delegations",
            type=int,
            default=SHOWCASE,
            metavar="N",
            help=(
                f"How many delegations in all (default {SHOWCASE}). The first {SHOWCASE} go "
                "through the workflow services; the rest are written in bulk (COPY on "
                "PostgreSQL), fast enough for a million."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Seed of the random generator (default {DEFAULT_SEED}); same seed, same data.",
        )

    def handle(self, *args, if_empty, delegations, seed, **options):
        if delegations < 0:
            raise CommandError("--delegations must be 0 or more")
        if if_empty and has_data():
            self.stdout.write("The database already has data: seed_demo added nothing.")
            self._accounts()
            return
        verbose = options["verbosity"] > 0

        def progress(done, total):
            if verbose:
                self.stdout.write(f"  bulk delegations: {done:,}/{total:,}")

        try:
            summary = seed_demo(delegations=delegations, seed=seed, progress=progress)
        except DemoDataExists as exc:
            raise CommandError(
                f"{exc}. Use an empty database (or --if-empty to skip seeding)."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {summary.units} units, {summary.people} people, "
                f"{summary.showcase + summary.bulk:,} delegations "
                f"({summary.showcase} through the workflow, {summary.bulk:,} in bulk) "
                f"in {summary.seconds:.1f} s."
            )
        )
        self._accounts()

    def _accounts(self):
        lines = accounts_table()
        if lines:
            self.stdout.write("Demo accounts:")
            for line in lines:
                self.stdout.write(line)
