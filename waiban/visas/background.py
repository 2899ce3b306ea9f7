"""The visas app's background work (waiban.outbox): the notes' handler lives in notes.py."""

from waiban.visas import notes, reminders  # noqa: F401  (the outbox handler, the daily job)
