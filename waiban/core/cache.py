"""The Redis cache backend, and a process-local layer for renderings keyed by their content.

Django's RedisCacheClient builds a new ``redis.Redis`` for every call (redis-py fills a dict of
some 200 response callbacks in each constructor): about 0.13 ms a call, seven calls a page. A
client is only a handle on the connection pool and is safe to share between threads, so one per
pool is kept.

Renderings whose cache key is a digest of everything they show (waiban.core.memo, ``{% kept
%}``, the case page's fragments) can never be stale: a change is a new key. So they may also be
kept in the process itself, in front of the shared cache, without any invalidation: a page that
draws 50 list rows and a menu then asks Redis nothing for them on a warm worker. Entries that
are forgotten when something changes (the progress card, the authority tree) must not go here.
"""

import sys
import threading

from cachetools import LRUCache
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache as DjangoLocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from waiban.env import env_int


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ClearsLocalRenderings:
    """Clearing a cache also empties this process's layer of renderings, so that whoever
    clears the caches (tests, the bench's cold measurements) gets every rendering drawn
    afresh."""

    def clear(self):
        super().clear()
        content_clear_local()


class RedisCache(ClearsLocalRenderings, DjangoRedisCache):
    """Django's RedisCache with one client per connection pool (see the module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient


class LocMemCache(ClearsLocalRenderings, DjangoLocMemCache):
    pass


# How much rendered HTML each process keeps, in megabytes of memory (a Chinese page's text
# takes two bytes a character): the rows of a few thousand list pages and case pages.
LOCAL_BYTES = env_int("WAIBAN_LOCAL_RENDER_CACHE_MB", 32) * 1024 * 1024


def _size(html: str) -> int:
    return sys.getsizeof(html) + 100  # the string, and its key and place in the cache


_local = LRUCache(maxsize=max(LOCAL_BYTES, 1), getsizeof=_size)
_local_lock = threading.Lock()  # cachetools' caches are not thread-safe (runserver is threaded)


def _keep_here(key: str, html: str) -> None:
    # The caller holds the lock. A rendering larger than the whole layer (or any, when it is
    # sized 0 to turn it off) is simply not kept here.
    if _size(html) <= _local.maxsize:
        _local[key] = html


def content_get_many(keys: list[str]) -> dict[str, str]:
    """The renderings under these content keys: from this process, else from the "pages"
    cache (and then kept here too)."""
    with _local_lock:
        found = {key: _local[key] for key in keys if key in _local}
    missing = [key for key in keys if key not in found]
    if missing:
        shared = caches["pages"].get_many(missing)
        with _local_lock:
            for key, html in shared.items():
                _keep_here(key, html)
        found.update(shared)
    return found


def content_set_many(renderings: dict[str, str], timeout: int) -> None:
    """Keep renderings under their content keys, here and in the "pages" cache."""
    with _local_lock:
        for key, html in renderings.items():
            _keep_here(key, html)
    caches["pages"].set_many(renderings, timeout)


def content_clear_local() -> None:
    """Empty this process's layer of renderings."""
    with _local_lock:
        _local.clear()
