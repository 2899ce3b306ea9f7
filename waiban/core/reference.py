"""Reference data kept in the cache: small tables every page or transition reads and that change a
few times a year (the authority tree, the holiday table, the offices' time limits, the rule
versions). Nothing else is cached: case data, lists and pages are always read from the database.

Each entry is declared once, with the models it is built from. Saving or deleting a row of one
of those models (through a service, the admin or a command alike) forgets the entry at once and
again when the transaction commits (another request may have read the old rows in between). A
transaction that reads an entry after forgetting it loads it without keeping it, so a rollback
never leaves uncommitted rows in the cache. The same policy holds for a cache per process (tests,
one process) and for a shared one (Redis, or a folder on disk for ``make run``'s web server and
worker): every process that shares the cache forgets together.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

_forgotten = threading.local()  # keys forgotten in the open transaction of this thread


def _forgotten_now() -> set:
    keys = getattr(_forgotten, "keys", None)
    if keys is None or not connection.in_atomic_block:
        keys = _forgotten.keys = set()
    return keys


@dataclass(frozen=True)
class Reference:
    key: str
    load: Callable[[], object]
    sources: tuple[str, ...]  # "app_label.ModelName" of every table the value is built from
    timeout: int

    def get(self):
        if self.key in _forgotten_now():
            return self.load()  # changed in this very transaction: not shared before commit
        return cache.get_or_set(self.key, self.load, self.timeout)

    def forget(self, **_signal_kwargs) -> None:
        cache.delete(self.key)
        if connection.in_atomic_block:
            _forgotten_now().add(self.key)
            transaction.on_commit(lambda: cache.delete(self.key))


def reference(key: str, *, sources: tuple[str, ...], timeout: int = 3600):
    """Declare a cached entry built by the decorated function, forgotten on every save or
    delete of a row of its ``sources``; returns the Reference, whose ``get()`` gives the value.

    The module declaring it must be imported when its app is ready (the apps' ``ready``), so
    that every process forgets, not only those that happened to read it."""

    def declare(load: Callable) -> Reference:
        entry = Reference(key=key, load=load, sources=sources, timeout=timeout)
        for label in sources:  # lazy senders: the models may not be loaded yet
            post_save.connect(entry.forget, sender=label, weak=False)
            post_delete.connect(entry.forget, sender=label, weak=False)
        return entry

    return declare


def forget_transaction_marks() -> None:
    """Treat what this thread's open transaction changed as committed (tests: the fixtures'
    rows stand for data written before the test acts, inside the test's one transaction)."""
    _forgotten.keys = set()
