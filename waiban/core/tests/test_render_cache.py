"""Renderings keyed by their content are kept in the process in front of the "pages" cache: a
warm worker asks the shared cache nothing for them, and whoever clears a cache gets every
rendering drawn afresh. Redis tests run against 127.0.0.1:6379 (databases 14 and 15), skipped
only where no Redis listens, unless CI demands it with WAIBAN_REQUIRE_REDIS=1."""

from unittest import mock

import pytest
from django.core.cache import caches

from waiban.core import memo
from waiban.core.cache import RedisCache, content_get_many, content_set_many
from waiban.core.memo import content_key
from waiban.testing.redis import REDIS, needs_redis

ROW = "<tr><td>赴德国经贸交流团</td></tr>"


def _asking_the_pages_cache():
    pages = caches["pages"]
    return mock.patch.object(pages, "get_many", wraps=pages.get_many)


def test_a_rendering_kept_here_is_served_without_asking_the_pages_cache():
    content_set_many({"waiban:row:1": ROW}, 60)
    assert caches["pages"].get("waiban:row:1") == ROW  # there for the other processes too

    with _asking_the_pages_cache() as get_many:
        assert content_get_many(["waiban:row:1"]) == {"waiban:row:1": ROW}

    get_many.assert_not_called()


def test_a_rendering_found_in_the_pages_cache_is_then_kept_here():
    caches["pages"].set("waiban:row:1", ROW)  # drawn by another process

    with _asking_the_pages_cache() as get_many:
        assert content_get_many(["waiban:row:1", "waiban:row:2"]) == {"waiban:row:1": ROW}
        get_many.assert_called_once_with(["waiban:row:1", "waiban:row:2"])
        get_many.reset_mock()
        assert content_get_many(["waiban:row:1"]) == {"waiban:row:1": ROW}

    get_many.assert_not_called()


@pytest.mark.parametrize("alias", ["default", "pages", "local"])
def test_clearing_any_cache_empties_the_local_layer(alias):
    content_set_many({"waiban:row:1": ROW}, 60)

    caches[alias].clear()

    with _asking_the_pages_cache() as get_many:
        found = content_get_many(["waiban:row:1"])
    get_many.assert_called_once_with(["waiban:row:1"])
    assert found == ({} if alias == "pages" else {"waiban:row:1": ROW})


def test_a_new_release_of_the_code_templates_or_translations_makes_new_keys(monkeypatch):
    kept_key = content_key("waiban:row:", "visits/row.html", "en", [("title", "赴德国")])
    assert content_key("waiban:row:", "visits/row.html", "en", [("title", "赴德国")]) == kept_key
    content_set_many({kept_key: ROW}, 60)

    monkeypatch.setattr(memo, "CODE_DIGEST", memo.CODE_DIGEST + "-next")

    new_key = content_key("waiban:row:", "visits/row.html", "en", [("title", "赴德国")])
    assert new_key != kept_key
    assert content_get_many([new_key]) == {}


@pytest.fixture
def redis_caches(settings):
    settings.CACHES = {
        alias: {
            "BACKEND": "waiban.core.cache.RedisCache",
            "LOCATION": f"{REDIS}/{database}",
            "KEY_PREFIX": f"waiban-test-{alias}",
        }
        for alias, database in [("default", 14), ("pages", 15)]
    }
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.mark.redis
@pytest.mark.redis
@needs_redis
def test_the_redis_cache_makes_one_client_for_all_its_operations(redis_caches):
    backend = RedisCache(f"{REDIS}/14", {"KEY_PREFIX": "waiban-test-default"})
    client = backend._cache
    with mock.patch.object(client, "_client", wraps=client._client) as make_client:
        backend.set("waiban:a", 1)
        assert backend.get("waiban:a") == 1
        assert backend.get_many(["waiban:a", "waiban:b"]) == {"waiban:a": 1}
        backend.delete("waiban:a")

    assert make_client.call_count == 1
    assert client.get_client("waiban:a") is client.get_client("waiban:b", write=True)


@pytest.mark.redis
@pytest.mark.redis
@needs_redis
def test_a_rendering_in_redis_is_kept_here_until_redis_is_cleared(redis_caches):
    other_process = RedisCache(f"{REDIS}/15", {"KEY_PREFIX": "waiban-test-pages"})
    other_process.set("waiban:row:1", ROW)
    assert content_get_many(["waiban:row:1"]) == {"waiban:row:1": ROW}
    with _asking_the_pages_cache() as get_many:
        assert content_get_many(["waiban:row:1"]) == {"waiban:row:1": ROW}
    get_many.assert_not_called()

    caches["pages"].clear()

    assert content_get_many(["waiban:row:1"]) == {}
