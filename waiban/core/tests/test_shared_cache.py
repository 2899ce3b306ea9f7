"""With WAIBAN_CACHE_URL, every app process shares one Redis: what one process forgets (a moved
case's public page, a log-out) is gone for all of them at once. Run against the real Redis at
127.0.0.1:6379 (databases 14 and 15); skipped only where no Redis listens, unless CI demands it
with WAIBAN_REQUIRE_REDIS=1."""

import pytest
from django.urls import reverse

from waiban.core.cache import RedisCache
from waiban.portal.progress import progress_page_key
from waiban.testing.factories import DelegationFactory
from waiban.testing.redis import REDIS, needs_redis
from waiban.visits import workflow

pytestmark = [pytest.mark.redis, needs_redis, pytest.mark.django_db]


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "waiban.core.cache.RedisCache",
            "LOCATION": f"{REDIS}/14",
            "KEY_PREFIX": "waiban-test-default",
        },
        "pages": {
            "BACKEND": "waiban.core.cache.RedisCache",
            "LOCATION": f"{REDIS}/15",
            "KEY_PREFIX": "waiban-test-pages",
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


def _another_process(alias: str) -> RedisCache:
    """A second client of the same Redis database, as another gunicorn worker would hold."""
    from django.conf import settings

    config = settings.CACHES[alias]
    return RedisCache(config["LOCATION"], {"KEY_PREFIX": config["KEY_PREFIX"]})


def test_a_moved_case_is_forgotten_for_every_process_at_once(
    shared_cache, client, clerk, unit, staff, django_capture_on_commit_callbacks
):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    url = reverse("portal:progress") + f"?case={case.case_number}"
    assert 'data-state="pre_review"' in client.get(url).content.decode()
    other = _another_process("pages")
    assert other.get(progress_page_key(case.case_number, "en")) is not None  # kept, shared

    with django_capture_on_commit_callbacks(execute=True):
        workflow.delegation_accept(delegation=case, actor=staff["window_clerk"])

    assert other.get(progress_page_key(case.case_number, "en")) is None
    assert 'data-state="under_review"' in client.get(url).content.decode()


def test_a_log_out_ends_the_session_for_every_process(shared_cache, client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("visits:list")).status_code == 200
    session_key = client.session.session_key
    other = _another_process("default")
    assert other.get(f"django.contrib.sessions.cached_db{session_key}") is not None

    client.post(reverse("logout"))

    assert other.get(f"django.contrib.sessions.cached_db{session_key}") is None
    client.cookies["sessionid"] = session_key  # replaying the old cookie
    assert client.get(reverse("visits:list")).status_code == 302
