"""Malformed input never gives a server error: every URL pattern of the project, as every
role, with bad values in each query parameter, in each field of each form the pages render,
in the path's ids and in JSON bodies, answers below 500 (on SQLite and on PostgreSQL).

The URL patterns come from the resolver, so a new page is walked as soon as it exists; a
pattern with path arguments needs its sample objects in waiban.testing.world.url_samples
(test_every_pattern_has_sample_arguments says so)."""

import re
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.http import SimpleCookie
from django.urls import Resolver404, resolve

from waiban.testing.badinput import (
    BAD_PATH_ARGS,
    BAD_VALUES,
    GENERIC_PARAMS,
    GENERIC_POST_FIELDS,
    JSON_BODIES,
    JUNK_FILE,
    VALUES_BY_KIND,
    admin_samples,
    forms_in,
    good_upload,
    junk_upload,
    unreachable_urls,
    url_of,
    url_patterns,
)
from waiban.testing.world import ANONYMOUS, NOT_YET_SAMPLED, WHO, build_world, url_samples

pytestmark = pytest.mark.django_db


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 30 else f"{text[:20]}…({len(value)} chars)"


def _pattern_key(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name if match.url_name else match.route


class Walk:
    """Sends each request in a savepoint that is rolled back, so every request meets the same
    world (and a database error leaves the test's transaction usable), and keeps the session
    cookie of the logged-in user whatever the response did to it."""

    def __init__(self, client, who):
        self.client = client
        self.who = who
        self.failures: dict[tuple, str] = {}
        self.requested: set[str] = set()
        self.posted: set[str] = set()

    def send(self, method, url, data=None, *, what="", **extra):
        path = urlsplit(url).path
        key = _pattern_key(path)
        if key:
            self.requested.add(key)
            if method == "post":
                self.posted.add(path)
        cookies = SimpleCookie()
        cookies.update(self.client.cookies)
        response = error = None
        try:
            with transaction.atomic():
                response = getattr(self.client, method)(url, data, **extra)
                transaction.set_rollback(True)
        except Exception as exc:  # a crash is exactly what the walk looks for
            error = f"{type(exc).__name__}: {str(exc)[:200]}"
        finally:
            self.client.cookies = cookies
        if response is not None and response.status_code >= 500:
            error = f"HTTP {response.status_code}"
        if error:
            # One line per page, field and kind of crash: the same bug shows once.
            self.failures.setdefault(
                (method, key, what.split("=")[0], error.split(":")[0]),
                f"{self.who} {method.upper()} {url[:120]} {what} -> {error}",
            )
        return response


def _is_html(response) -> bool:
    return response is not None and response.get("Content-Type", "").startswith("text/html")


def _samples_for(pattern, samples) -> list[dict]:
    if not pattern.converters and not pattern.regex:
        return [{}]
    return samples.get(pattern.key, [])


def _pages(walk, samples):
    """Phase 1: every pattern with its sample arguments, plainly. The pages that answer 200
    and the forms they render (one of each: the same form of two cases is tried once)."""
    pages, forms, filters = [], {}, {}
    for pattern in url_patterns():
        urls = [url_of(pattern, kwargs) for kwargs in _samples_for(pattern, samples)]
        if pattern.key in unreachable_urls():
            urls = [unreachable_urls()[pattern.key]]
        for i, url in enumerate(u for u in urls if u):
            response = walk.send("get", url, what="plain")
            if response is None or response.status_code != 200:
                continue
            if i == 0:
                pages.append(url)
            if _is_html(response):
                for form in forms_in(response.content, url):
                    if form.method == "get":
                        filters.setdefault(urlsplit(form.action).path, set()).update(form.fields)
                    else:
                        forms.setdefault(_form_key(form), form)
    return pages, list(forms.values()), filters


def _fuzz_queries(walk, pages, filters):
    """Phase 2: each page's query parameters, all at once with each bad value, and its own
    filter form's fields one by one."""
    for url in pages:
        own = sorted(filters.get(urlsplit(url).path, set()))
        for value in BAD_VALUES:
            walk.send(
                "get",
                url,
                dict.fromkeys([*GENERIC_PARAMS, *own], value),
                what=f"all={_shown(value)}",
            )
            for name in own:
                walk.send("get", url, {name: value}, what=f"{name}={_shown(value)}")


def _post(walk, form, data, what):
    """Post the form; its file fields get a file the field takes unless ``data`` names them
    (JUNK_FILE: a file that is not what its name says)."""
    data = dict(data)
    for name in form.files:
        if data.get(name) == JUNK_FILE:
            data[name] = junk_upload(name)
        else:
            data.setdefault(name, good_upload(name, form.action))
    return walk.send("post", form.action, data, what=what)


def _row_shape(name: str) -> str:
    """A formset field's name without its row number: rows of one formset are tried once."""
    return re.sub(r"-\d+-", "-N-", name)


def _fuzz_forms(walk, forms):
    """Phase 3: each field of each form (and the version views read raw) with each bad value,
    the other fields kept as a user would fill them. A form's other buttons, and the same
    form on another page (the application form when created and when edited), try only the
    version: their fields were tried already."""
    tried: set[frozenset] = set()
    for form in forms:
        variants = [dict([button]) for button in form.buttons] or [{}]
        fields = frozenset(_row_shape(name) for name in form.fields) - {"version"}
        seen_elsewhere = fields in tried
        tried.add(fields)
        for number, button in enumerate(variants):
            baseline = {**form.baseline, **button}
            _post(walk, form, baseline, what="baseline")
            names = [*form.fields, *(["version"] if "version" not in form.fields else [])]
            if number or seen_elsewhere:
                names = ["version"]
            shapes = set()
            for name in names:
                if _row_shape(name) in shapes:
                    continue
                shapes.add(_row_shape(name))
                for value in VALUES_BY_KIND[form.kinds.get(name, "number")]:
                    _post(walk, form, {**baseline, name: value}, what=f"{name}={_shown(value)}")


def _sent_to_login(response) -> bool:
    if response is None or response.status_code != 302:
        return False
    return _pattern_key(urlsplit(response["Location"]).path) in ("login", "admin:login")


def _fuzz_paths(walk, samples):
    """Phase 4: ids no row has (past any column's range) in the path, by GET and by POST;
    each argument in turn, the others from the samples. A page that sends this user to the
    login page reads no id: it is asked once."""
    for pattern in url_patterns():
        if not pattern.converters:
            continue
        bad = {n: BAD_PATH_ARGS[type(c).__name__] for n, c in pattern.converters.items()}
        given = (_samples_for(pattern, samples) or [{n: v[0] for n, v in bad.items()}])[0]
        tries = [(name, value) for name, values in bad.items() for value in values]
        for name, value in tries:
            url = url_of(pattern, {**given, name: value})
            response = walk.send("get", url, what=f"path {name}={value}")
            walk.send("post", url, {"version": "1"}, what=f"path {name}={value}")
            if _sent_to_login(response):
                break


def _fuzz_unposted(walk, samples, *, skip):
    """Phase 5: endpoints no rendered form posts to (called by scripts, or another page's
    buttons not shown to this role): the raw fields where POST is heard, and JSON bodies to
    the APIs (the views exempt from CSRF: a browser's form never sends JSON)."""
    for pattern in url_patterns():
        if pattern.key.startswith("admin"):
            continue
        for kwargs in _samples_for(pattern, samples)[:1]:
            url = url_of(pattern, kwargs)
            if url is None or url in skip or urlsplit(url).path in walk.posted:
                continue
            first = walk.send("post", url, {}, what="empty")
            if first is None or first.status_code in (302, 404, 405):
                continue
            for value in BAD_VALUES:
                data = dict.fromkeys(GENERIC_POST_FIELDS, value)
                walk.send("post", url, data, what=f"raw={_shown(value)}")
            if not getattr(resolve(urlsplit(url).path).func, "csrf_exempt", False):
                continue
            for body in JSON_BODIES:
                walk.send("post", url, body, content_type="application/json", what=f"json={body!r}")


@pytest.fixture
def light_client(client, monkeypatch):
    """The test client keeps a copy of every template context it renders, for assertions on
    them; the walk needs none, and the copies took half its time."""
    monkeypatch.setattr("django.test.client.store_rendered_templates", lambda *a, **k: None)
    return client


def _form_key(form) -> tuple:
    return (_pattern_key(urlsplit(form.action).path), tuple(form.fields), tuple(form.buttons))


@pytest.mark.parametrize("who", WHO)
def test_bad_input_never_gives_a_server_error(light_client, who):
    client = light_client
    world = build_world()
    samples = {**url_samples(world), **admin_samples()}
    # What a visitor who is not logged in gets (the public pages, the login forms) is walked
    # in the anonymous run; the others skip it.
    public_pages, public_forms = [], []
    if who != ANONYMOUS:
        public_pages, public_forms, _ = _pages(Walk(client, ANONYMOUS), samples)
        client.force_login(world.users[who])
    walk = Walk(client, who)
    pages, forms, filters = _pages(walk, samples)
    public = {_form_key(form) for form in public_forms}
    _fuzz_queries(walk, [url for url in pages if url not in public_pages], filters)
    _fuzz_forms(walk, [form for form in forms if _form_key(form) not in public])
    _fuzz_paths(walk, samples)
    _fuzz_unposted(walk, samples, skip=set(public_pages))
    assert not walk.failures, "\n".join(sorted(walk.failures.values()))
    # /admin/login/ is served by the throttled log-in's redirect (waiban/urls.py), which comes
    # first: the admin site's own pattern is never reached.
    walked = {p.key for p in url_patterns()} - walk.requested - {"admin:login"} - NOT_YET_SAMPLED
    assert not walked, f"never requested: {sorted(walked)}"


def test_every_pattern_has_sample_arguments(db):
    """A new page with path arguments needs its sample objects in world.url_samples."""
    world = build_world()
    samples = {**url_samples(world), **admin_samples()}
    missing = [
        p.key
        for p in url_patterns()
        if (p.converters or p.regex)
        and not p.key.startswith("admin")
        and p.key not in samples
        and p.key not in NOT_YET_SAMPLED
        and p.key not in unreachable_urls()
    ]
    assert not missing, f"add sample path arguments to waiban.testing.world: {missing}"
