"""Load a new edition of the visa regime table (and, with --embassies, embassies).

manage.py visa_regimes_load waiban/visas/data/mfa-visa-exemptions-2025-03-11.csv
manage.py visa_regimes_load --embassies waiban/visas/data/embassies.csv
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waiban.core.errors import ServiceError
from waiban.visas.regimes import embassies_load, regime_edition_load


class Command(BaseCommand):
    help = "Load a new edition of the visa regime table from a CSV file (see waiban/visas/data/)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--embassies", action="store_true", help="the file lists embassies and consulates"
        )

    def handle(self, *args, file, embassies=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        data = path.read_bytes()
        try:
            if embassies:
                count = embassies_load(data=data)
                self.stdout.write(f"{count} embassies and consulates loaded.")
                return
            edition = regime_edition_load(data=data)
        except ServiceError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Edition “{edition.name}” loaded: {edition.rows.count()} rows; it is now current."
        )
