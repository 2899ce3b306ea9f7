"""The visas app's background work (waiban.outbox): the notes' handler lives in notes.py."""

from waiban.visas import notes  # noqa: F401  (registers the outbox handler)
