"""Reference data every page reads (the authority tree, the holiday table, the notices badge)
comes from the shared cache in one round trip per request, and a request that changes it reads
it afresh."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from waiban.accounts.scoping import AUTHORITY_TREE_CACHE_KEY
from waiban.core.calendar import OVERRIDES_CACHE_KEY
from waiban.core.middleware import RequestContextMiddleware
from waiban.core.shared import shared_forget, shared_get, shared_scope
from waiban.notices.selectors import unread_count_key, unread_notice_count
from waiban.notices.services import notice_send, notices_mark_read

pytestmark = pytest.mark.django_db  # shared_forget forgets again on commit

KEY = "waiban:test-entry"


@contextmanager
def _reads_of_the_default_cache():
    """The keys of each get_many, and of each get made on its own (LocMemCache's get_many
    calls get for every key: those are not separate reads)."""
    backend = caches["default"]
    real_get, real_get_many = backend.get, backend.get_many
    reads = {"many": [], "single": []}
    inside = []

    def get_many(keys, *args, **kwargs):
        reads["many"].append(set(keys))
        inside.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    def get(key, *args, **kwargs):
        if not inside:
            reads["single"].append(key)
        return real_get(key, *args, **kwargs)

    with (
        mock.patch.object(backend, "get_many", side_effect=get_many),
        mock.patch.object(backend, "get", side_effect=get),
    ):
        yield reads


def _during_a_request(user, reads):
    """``reads()`` run as the view of a request by ``user``; gives what it returns."""
    request = RequestFactory().get("/")
    request.user = user
    return RequestContextMiddleware(lambda request: reads())(request)


def _loads(*values):
    """A loader giving these values one after the other; ``.calls`` counts its calls."""
    remaining = list(values)

    def load():
        load.calls += 1
        return remaining.pop(0)

    load.calls = 0
    return load


@pytest.mark.parametrize("visit", ["first", "later"])
def test_a_page_fetches_the_entries_every_page_wants_in_one_round_trip(client, staff, visit):
    user = staff["window_clerk"]
    wanted = {AUTHORITY_TREE_CACHE_KEY, OVERRIDES_CACHE_KEY, unread_count_key(user.pk)}
    client.force_login(user)
    if visit == "later":
        client.get(reverse("visits:workbench"))
        assert set(cache.get_many(wanted)) == wanted  # the first visit kept all three

    with _reads_of_the_default_cache() as reads:
        assert client.get(reverse("visits:workbench")).status_code == 200

    assert [keys for keys in reads["many"] if keys & wanted] == [wanted]
    assert not set(reads["single"]) & wanted


def test_outside_a_request_an_entry_is_read_from_the_cache_and_loaded_only_on_a_miss():
    load = _loads({"tree": 1})

    with _reads_of_the_default_cache() as reads:
        assert shared_get(KEY, load, 60) == {"tree": 1}
        assert shared_get(KEY, load, 60) == {"tree": 1}

    assert load.calls == 1
    assert reads == {"many": [], "single": [KEY, KEY]}
    assert cache.get(KEY) == {"tree": 1}  # kept for the next reader
    cache.set(KEY, {"tree": 2})  # as another process that reloaded it
    assert shared_get(KEY, load, 60) == {"tree": 2}


def test_a_count_of_zero_is_kept_like_any_other_value():
    load = _loads(0, 0)
    assert shared_get(KEY, load, 60) == 0
    assert shared_get(KEY, load, 60) == 0
    assert load.calls == 1


@pytest.mark.parametrize("key", [OVERRIDES_CACHE_KEY, KEY], ids=["every-page", "own"])
def test_a_request_keeps_what_it_read_until_it_forgets_it(key, django_capture_on_commit_callbacks):
    load = _loads("old", "new")

    def reads():
        first = shared_get(key, load, 60)
        cache.set(key, "changed elsewhere")
        kept = shared_get(key, load, 60)  # one page shows one version
        shared_forget(key)
        return first, kept, shared_get(key, load, 60)

    with django_capture_on_commit_callbacks(execute=True):
        assert _during_a_request(AnonymousUser(), reads) == ("old", "old", "new")
        assert cache.get(key) is None  # read after its own change: shared once that commits
    assert cache.get(key) == "new"


def test_what_a_transaction_read_after_its_own_change_is_never_shared_if_it_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        shared_forget(KEY)
        assert shared_get(KEY, _loads("uncommitted"), 60) == "uncommitted"
        raise RuntimeError("the change fails")

    assert cache.get(KEY) is None
    assert shared_get(KEY, _loads("committed"), 60) == "committed"


def test_a_later_request_reads_what_an_earlier_one_forgot():
    load = _loads("old", "new")
    assert _during_a_request(AnonymousUser(), lambda: shared_get(KEY, load, 60)) == "old"
    _during_a_request(AnonymousUser(), lambda: shared_forget(KEY))
    assert _during_a_request(AnonymousUser(), lambda: shared_get(KEY, load, 60)) == "new"


def test_an_entry_read_again_before_the_change_commits_is_forgotten_at_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        shared_forget(KEY)
        cache.set(KEY, "old rows, read by another request before the commit")

    assert shared_get(KEY, _loads("new"), 60) == "new"


def test_a_notice_sent_during_a_request_shows_in_that_requests_next_badge(staff):
    user = staff["reviewer"]

    def reads():
        counts = [unread_notice_count(user)]
        notice_send(key="t-1", recipient=user, subject="护照逾期未还")
        counts.append(unread_notice_count(user))
        notices_mark_read(recipient=user)
        counts.append(unread_notice_count(user))
        return counts

    assert _during_a_request(user, reads) == [0, 1, 0]


def test_a_service_reads_the_entries_it_names_in_one_round_trip_outside_a_request():
    cache.set_many({KEY: "rules", "waiban:test-other": "limits"})
    with _reads_of_the_default_cache() as reads, shared_scope(KEY, "waiban:test-other"):
        assert shared_get(KEY, _loads("unused"), 60) == "rules"
        assert shared_get("waiban:test-other", _loads("unused"), 60) == "limits"
        assert shared_get(KEY, _loads("unused"), 60) == "rules"

    assert reads["many"] == [{KEY, "waiban:test-other"}] and reads["single"] == []
