"""The public progress card of a case: rendered once, kept until the case moves again."""

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.translation import get_language

from waiban.visits.models import Delegation
from waiban.visits.states import NEXT_STEP

# Bounds how stale a card can be in another app process (each process has its own cache unless
# WAIBAN_CACHE_URL names a shared Redis); the process that moved the case forgets at once.
PROGRESS_CACHE_SECONDS = 60

# What the public may learn from a case number: where it is and what happened when; no names,
# no personal data, no reasons.
PUBLIC_ACTIONS = {
    "submit",
    "resubmit",
    "return",
    "accept",
    "review",
    "approve",
    "refuse",
    "withdraw",
    "cancel",
}


def progress_cache_key(case_number: str, language: str) -> str:
    return f"waiban:progress:{language}:{case_number}"


def progress_page_key(case_number: str, language: str) -> str:
    return f"waiban:progress-page:{language}:{case_number}"


def forget_progress(case_number: str | None) -> None:
    """Called after a case moves (on commit): its public card and page must show the new
    state."""
    if case_number:
        caches["pages"].delete_many(
            [
                key(case_number, code)
                for code, _name in settings.LANGUAGES
                for key in (progress_cache_key, progress_page_key)
            ]
        )


def kept_page(request, number: str) -> str | None:
    """The whole page as a visitor with nothing of their own on it saw it (see views.progress):
    kept with the address it was drawn for, since the language switch returns there."""
    kept = caches["pages"].get(progress_page_key(number, get_language()))
    if kept is not None and kept[0] == request.get_full_path():
        return kept[1]
    return None


def keep_page(request, number: str, html: str) -> None:
    caches["pages"].set(
        progress_page_key(number, get_language()),
        (request.get_full_path(), html),
        PROGRESS_CACHE_SECONDS,
    )


def progress_card(number: str) -> str | None:
    """The public card of a case, rendered once and kept until the case moves again (or for
    PROGRESS_CACHE_SECONDS, which bounds staleness between several app processes)."""
    key = progress_cache_key(number, get_language())
    card = caches["pages"].get(key)
    if card is not None:
        return card
    delegation = Delegation.objects.filter(case_number=number).select_related("unit").first()
    if delegation is None:
        return None
    events = [e for e in delegation.events.order_by("at", "id") if e.action in PUBLIC_ACTIONS]
    card = render_to_string(
        "portal/_progress_card.html",
        {"delegation": delegation, "events": events, "next_step": NEXT_STEP.get(delegation.state)},
    )
    caches["pages"].set(key, card, PROGRESS_CACHE_SECONDS)
    return card
