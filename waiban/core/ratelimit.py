"""A per-address counter in the shared cache, for the public pages and the login.

A fixed window per scope and address: cheap (one cache round trip) and, with Redis as the
cache, shared by every app server. The address is hashed: the cache holds no readable IPs.
"""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind ``WAIBAN_PROXY_COUNT`` trusted proxies,
    the address the outermost of them saw (X-Forwarded-For, counted from the right, so a
    client cannot choose its own by sending the header)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.WAIBAN_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxies:
        return remote
    try:  # the audit column holds addresses only
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def _key(request, scope: str, window: int) -> str:
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:24]
    return f"ratelimit:{scope}:{address}:{int(time.time() // window)}"


def address_count_add(request, *, scope: str, window: int) -> int:
    """Count one event of ``request``'s address in ``scope``; the count in this window."""
    key = _key(request, scope, window)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def address_count(request, *, scope: str, window: int) -> int:
    """How many events ``request``'s address has had in ``scope`` in this window."""
    return cache.get(_key(request, scope, window), 0)


def limit_reached(request, *, scope: str, limit: int, window: int) -> bool:
    """Count one attempt of ``request``'s address in ``scope``; True once more than ``limit``
    were made in the current ``window`` seconds."""
    return address_count_add(request, scope=scope, window=window) > limit
