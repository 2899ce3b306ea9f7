from django.core.management.base import BaseCommand

from waiban.passports.reminders import passports_expire, passports_remind


class Command(BaseCommand):
    help = (
        "Mark late passports overdue, remind the units' clerks and mark passports past their "
        "expiry date expired (run daily)."
    )

    def handle(self, *args, **options):
        sent = passports_remind()
        expired = passports_expire()
        self.stdout.write(f"{sent} reminder(s) sent, {expired} passport(s) expired")
