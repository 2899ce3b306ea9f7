"""Remembered renderings of small templates whose output depends only on their values.

A list page draws the same 25 or 50 rows again and again, and Django's template engine spends
about 0.3 ms on each. A row rendered from a plain dict of values is a pure function of that dict
and the active language, so the HTML is kept in the cache under a digest of both: there is
nothing to invalidate, because any change to a value the row shows is a different key (and the
old entry simply ages out). The row template sees only its dict, never the request or the user.
"""

import hashlib

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

MEMO_SECONDS = 24 * 3600  # bounds the memory held by rows nobody draws any more


def content_key(prefix: str, *parts) -> str:
    """A cache key that is a digest of everything a rendering depends on (its repr)."""
    return prefix + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _key(template_name: str, language: str, values: dict) -> str:
    return content_key("waiban:memo:", template_name, language, sorted(values.items()))


def render_rows(template_name: str, rows: list[dict]) -> list[str]:
    """``template_name`` rendered with ``{"row": values}`` for each dict, from the cache where
    the same values were rendered before, in the same order."""
    language = get_language()
    keys = [_key(template_name, language, row) for row in rows]
    cache = caches["pages"]
    found = cache.get_many(keys)
    template = None
    rendered, missing = [], {}
    for key, row in zip(keys, rows, strict=True):
        html = found.get(key)
        if html is None:
            template = template or get_template(template_name)
            html = missing[key] = template.render({"row": row})
        rendered.append(mark_safe(html))
    if missing:
        cache.set_many(missing, MEMO_SECONDS)
    return rendered
