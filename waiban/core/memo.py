"""Remembered renderings of small templates whose output depends only on their values.

A list page draws the same 25 or 50 rows again and again, and Django's template engine spends
about 0.3 ms on each. A row rendered from a plain dict of values is a pure function of that dict
and the active language, so the HTML is kept in the cache under a digest of both: there is
nothing to invalidate, because any change to a value the row shows is a different key (and the
old entry simply ages out). The row template sees only its dict, never the request or the user.
"""

import hashlib
from pathlib import Path

from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from waiban.core.cache import content_get_many, content_set_many

MEMO_SECONDS = 24 * 3600  # bounds the memory held by rows nobody draws any more


def _code_digest() -> str:
    """A digest of the code, templates and translations: a rendering kept by an older release
    (Redis outlives a deployment) is never served by a newer one that draws it differently
    (a row's values worked out otherwise, an address moved). Tests and migrations draw
    nothing."""
    digest = hashlib.blake2b(digest_size=8)
    root = Path(__file__).resolve().parent.parent
    drawing = [
        *(p for p in root.rglob("*.py") if not {"tests", "migrations"} & set(p.parts)),
        *root.rglob("templates/**/*.html"),
        *root.rglob("locale/**/*.mo"),
    ]
    for path in sorted(drawing):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


CODE_DIGEST = _code_digest()


def content_key(prefix: str, *parts) -> str:
    """A cache key that is a digest of everything a rendering depends on (its repr), and of
    the templates and translations that draw it."""
    text = repr((CODE_DIGEST, parts)).encode()
    return prefix + hashlib.blake2b(text, digest_size=16).hexdigest()


def _key(template_name: str, language: str, values: dict) -> str:
    return content_key("waiban:memo:", template_name, language, sorted(values.items()))


def render_rows(template_name: str, rows: list[dict]) -> list[str]:
    """``template_name`` rendered with ``{"row": values}`` for each dict, from the cache where
    the same values were rendered before, in the same order."""
    language = get_language()
    keys = [_key(template_name, language, row) for row in rows]
    found = content_get_many(keys)
    template = None
    rendered, missing = [], {}
    for key, row in zip(keys, rows, strict=True):
        html = found.get(key)
        if html is None:
            template = template or get_template(template_name)
            html = missing[key] = template.render({"row": row})
        rendered.append(mark_safe(html))
    if missing:
        content_set_many(missing, MEMO_SECONDS)
    return rendered


class KeptRows:
    """A list's rows for a page that keeps the part drawing them (``{% kept %}`` under
    ``digest``): their HTML is read from the memo, or drawn, only when the part itself is
    drawn and iterates them. ``records`` are what the list read (a dict per row), ``shown``
    turns one into what its template shows; the digest names the records, the language and
    the template, so a kept part is found without working out a single row."""

    def __init__(self, template_name: str, records: list[dict], shown):
        self.template_name, self.records, self.shown = template_name, records, shown
        contents = [sorted(record.items()) for record in records]
        self.digest = content_key("waiban:rows:", template_name, get_language(), contents)

    def __len__(self):
        return len(self.records)

    def __iter__(self):
        values = [self.shown(record) for record in self.records]
        return iter(render_rows(self.template_name, values))
