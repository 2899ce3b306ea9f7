"""Reference data in the "default" cache that is forgotten when it changes (the authority tree,
the holiday table, a user's unread-notices count): read through here, a request fetches all
the entries it will want in one round trip to the shared cache, at its first read of any of
them, and keeps them until it ends. (The rule versions and stage limits, read by submissions
and transitions, go through here too, without being wanted on every page.)

Each app names the entries its pages read on every visit with ``@wanted_on_every_page`` (a
function of the request giving a key, or None when that visitor needs none). A key read here
that no such function named is fetched on its own. ``shared_forget`` forgets an entry in the
cache and in the current request, so that a request that changes the data reads it afresh.
"""

from collections.abc import Callable
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from waiban.core.middleware import current_request, memo_scope, request_memo

_page_keys: list[Callable] = []
_MEMO_SLOT = "shared-entries"


def wanted_on_every_page(key_for_request: Callable) -> Callable:
    _page_keys.append(key_for_request)
    return key_for_request


def _entries(memo) -> dict:
    entries = memo.get(_MEMO_SLOT)
    if entries is None:
        request = current_request()
        keys = [key for key in (f(request) for f in _page_keys) if key] if request else []
        entries = memo[_MEMO_SLOT] = dict.fromkeys(keys)
        if keys:
            entries.update(cache.get_many(keys))
    return entries


@contextmanager
def shared_scope(*keys: str):
    """Within the block these entries (with those every page wants, in a request) are read
    from the shared cache in one round trip and kept: a service that reads several (a
    submission: rule versions, time limits, holidays) asks once, in a request or not."""
    with memo_scope():
        entries = _entries(request_memo())
        missing = [key for key in keys if key not in entries]
        if missing:
            entries.update(dict.fromkeys(missing))
            entries.update(cache.get_many(missing))
        yield


def shared_get(key: str, load: Callable, timeout: int, *, only_if_shared: bool = False):
    """The entry under ``key``, or ``load()``'s value, then kept for ``timeout`` seconds.

    ``only_if_shared``: data whose change must count at once everywhere (the rules a case is
    judged by) is kept only in a cache all processes share; with a cache per process it is
    read from the database (once per request or scope)."""
    memo = request_memo()
    entries = _entries(memo) if memo is not None else {}
    if only_if_shared and not settings.CACHE_URL:
        if entries.get(key) is None:
            value = load()
            if memo is not None:
                entries[key] = value
            return value
        return entries[key]
    value = entries.get(key)
    if value is None:
        value = cache.get(key) if key not in entries else None
        if value is None:
            value = load()
            # Read after this very transaction changed the rows (it forgot the entry), the
            # value is shared only once it commits: a rollback keeps it from everyone else.
            if key in _forgotten_in_transaction():
                transaction.on_commit(partial(cache.set, key, value, timeout))
            else:
                cache.set(key, value, timeout)
        if memo is not None:
            entries[key] = value
    return value


def _forgotten_in_transaction() -> set:
    """The keys forgotten since the open transaction began (none when none is open)."""
    forgotten = getattr(connection, "_waiban_forgotten", None)
    if forgotten is None or not connection.in_atomic_block:
        forgotten = connection._waiban_forgotten = set()
    return forgotten


def shared_forget(key: str) -> None:
    """Forget the entry now (for the rest of this request too) and again when the transaction
    that changed the data commits, in case another request read the old rows in between."""
    _forgotten_in_transaction().add(key)
    cache.delete(key)
    memo = request_memo()
    if memo is not None and _MEMO_SLOT in memo:
        memo[_MEMO_SLOT].pop(key, None)
    transaction.on_commit(lambda: cache.delete(key))
