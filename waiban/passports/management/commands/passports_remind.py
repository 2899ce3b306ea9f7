from django.core.management.base import BaseCommand

from waiban.passports.reminders import passports_remind


class Command(BaseCommand):
    help = "Mark late passports overdue and remind the units' clerks (run daily)."

    def handle(self, *args, **options):
        sent = passports_remind()
        self.stdout.write(f"{sent} reminder(s) sent")
