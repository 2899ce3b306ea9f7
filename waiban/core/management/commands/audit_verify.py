"""Verify the audit trail's hash chain; exit 1 and name the first broken row if it is broken."""

from django.core.management.base import BaseCommand, CommandError

from waiban.core.audit_chain import audit_chain_verify

PROBLEMS = {
    "changed": "its content or seal was changed",
    "missing": "the rows before it (from sequence {seq}) were deleted",
    "unsealed": "it carries no seal (written or inserted outside the application)",
}


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and name the first broken row."

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if report.intact:
            self.stdout.write(f"audit chain intact: {report.checked} rows")
            return
        reason = PROBLEMS[report.problem].format(seq=report.broken_seq)
        raise CommandError(
            f"audit chain broken at row id {report.broken_id} (sequence {report.broken_seq}): "
            f"{reason}; {report.checked} rows before it are intact"
        )
