"""Chinese full text over the library (DESIGN.md §7).

Every report keeps one normalised text (NFKC, OpenCC traditional→simplified, lower case) of its
title, sections, countries (codes and Chinese names), counterparts and unit. A query is
normalised the same way, so 會議 finds 会议. Each whitespace-separated term must occur as a
substring (no word segmentation: it loses substrings such as 巴伐利亚 in 巴伐利亚州).

- PostgreSQL: ``LIKE '%term%'`` on the text, served by a GIN ``gin_trgm_ops`` index for terms of
  3+ characters (shorter ones scan; still correct).
- SQLite: an FTS5 ``trigram`` table kept by triggers for terms of 3+ characters; 1–2-character
  terms query the base table (``LIKE`` on the FTS5 table silently finds nothing for them).
"""

import unicodedata

from django.db import connection
from django.db.models.expressions import RawSQL
from django_countries import countries

from waiban.watchlists.names import to_simplified

MAX_TERMS = 5
MAX_QUERY = 100
FTS_TABLE = "reports_search"


def normalise(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text or "")).lower()


def terms_of(query: str) -> list[str]:
    """The query's terms, normalised; at most a few, each kept short."""
    return normalise((query or "")[:MAX_QUERY]).split()[:MAX_TERMS]


def search_text_of(report, *, country_codes, unit_name) -> str:
    from django.utils import translation

    with translation.override("zh-hans"):
        names = [str(countries.name(code)) for code in country_codes]
    activities = [
        " ".join(str(a.get(k, "")) for k in ("city", "text"))
        for a in report.activities or []
        if isinstance(a, dict)
    ]
    parts = [
        report.title,
        report.purpose,
        *activities,
        report.counterparts,
        report.results,
        report.follow_up,
        report.cost_note,
        " ".join(country_codes),
        " ".join(names),
        unit_name,
    ]
    return normalise("\n".join(p for p in parts if p))


def _fts_phrase(term: str) -> str:
    # An FTS5 string: the term as one phrase, its double quotes doubled.
    return '"' + term.replace('"', '""') + '"'


def matching(queryset, query: str):
    """``queryset`` of TripReport narrowed to the reports whose text holds every term."""
    for term in terms_of(query):
        if connection.vendor == "sqlite" and len(term) >= 3:
            found = RawSQL(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [_fts_phrase(term)]
            )
            queryset = queryset.filter(pk__in=found)
        else:
            queryset = queryset.filter(search_text__contains=term)
    return queryset
