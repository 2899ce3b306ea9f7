"""A per-address limit on the public pages, counted in the shared cache (so it holds across
processes when the cache is Redis). Over the limit: a 429 page, not an error."""

import functools
import hashlib
import time

from django.core.cache import cache
from django.shortcuts import render

# Requests per address per minute on each public page group: a person reading guides or a hall
# screen refreshing every 15 seconds stays far below; a scraper does not.
PUBLIC_LIMIT = 120
PERIOD = 60


def _now() -> float:
    return time.time()


def _address_key(request, scope: str) -> str:
    address = request.META.get("REMOTE_ADDR") or "unknown"
    # The address itself is not kept in the cache, only a hash of it.
    digest = hashlib.sha256(address.encode()).hexdigest()[:24]
    return f"hall-rl:{scope}:{digest}:{int(_now() // PERIOD)}"


def over_limit(request, scope: str, limit: int = PUBLIC_LIMIT) -> bool:
    key = _address_key(request, scope)
    if cache.add(key, 1, PERIOD + 5):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, PERIOD + 5)
        count = 1
    return count > limit


def public_rate_limited(scope: str, limit: int = PUBLIC_LIMIT):
    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if over_limit(request, scope, limit):
                response = render(request, "hall/too_many.html", status=429)
                response["Retry-After"] = str(PERIOD)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
