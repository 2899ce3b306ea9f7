"""Tools of the bad-input walk (waiban.core.tests.test_bad_input): the malformed values, every
URL pattern of the project with its path arguments, and the forms a rendered page holds.

The walk asks every page, as every role, with these values in each query parameter and in
each field of each form the page renders, and wants a clear answer (a 4xx, or the page again
with the error beside the field), never a server error."""

import datetime as dt
import io
import random
import re
from dataclasses import dataclass, field

import lxml.html
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from lxml import etree
from PIL import Image

from waiban.testing.ids import make_id_number, make_uscc

LONG = "x" * 10_000
NUL = "a\x00b"  # PostgreSQL refuses NUL in text
SEVERAL = ["1", "abc"]  # several values where one is expected
JUNK_FILE = "<a file that is not what its name says>"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EVERYWHERE = ["", "abc", LONG, NUL, SEVERAL]
NUMBERS = [
    "-1",
    "1.5",
    "²",  # str.isdigit() says yes, int() says no
    "99999999999999999999",  # beyond every integer column
    str(2**63),  # one past the largest bigint
    "NaN",
    "1e999",
]
DATES = ["0001-01-01", "9999-12-31", "99999-01-01", "2026-02-30"]  # the calendar's ends and past
# One of each kind of malformed value a hand, a script or a stale page can send.
BAD_VALUES = [*EVERYWHERE, *NUMBERS, *DATES]
# What each kind of form control is tried with: a hidden field usually holds a number (a
# version, an id), a select an id or a code.
VALUES_BY_KIND = {
    "number": ["", "abc", "-1", "²", "99999999999999999999", "1e999", NUL, SEVERAL],
    "date": ["", "abc", *DATES, NUL, SEVERAL],
    "text": ["", LONG, NUL, SEVERAL, "99999999999999999999"],
    "choice": ["", "abc", NUL, SEVERAL],  # a select of codes, not of ids
    "flag": ["abc", NUL, SEVERAL],
    "file": ["abc", NUL, JUNK_FILE],
}


def control_kind(control, kind: str, name: str) -> str:
    """Which values of VALUES_BY_KIND a form control is tried with."""
    tag = control.tag
    options = [o.get("value", o.text or "") for o in control.xpath(".//option")]
    codes = [option for option in options if option]
    if tag == "select" and codes and not all(c.isascii() and c.isdigit() for c in codes):
        return "choice"
    if kind == "file":
        return "file"
    if _is_date(control, kind, name):
        return "date"
    if tag == "select" or kind in ("hidden", "number", "radio", "range"):
        return "number"
    if kind == "checkbox":
        return "flag"
    return "text"


# Query parameters the list pages read, asked of every page besides its own filter form's.
GENERIC_PARAMS = [
    "page",
    "q",
    "state",
    "status",
    "year",
    "unit",
    "country",
    "version",
    "after",
    "before",
    "sort",
    "where",
    "show",
    "case",
    "format",
    "list",
    "name",
    "code",
    "overdue",
    "next",
]

# Fields the views read from the raw POST besides their forms' own.
GENERIC_POST_FIELDS = ["version", "expected_version", "action"]

# Path arguments no row has, per converter: an <int:> matches digits only (no sign), so its
# bad values are past the columns' range; admin object ids are any text.
BAD_PATH_ARGS = {
    "IntConverter": ["0", "99999999999999999999", str(2**63)],
    "PathConverter": ["abc", "-1", "99999999999999999999", "1.5"],
    "StringConverter": ["abc", "-1", "99999999999999999999"],
    "SlugConverter": ["no-such-thing"],
}

JSON_BODIES = [
    '{"code": 12345}',
    '{"code": ["a", "b"]}',
    '{"code": {"a": 1}}',
    '{"code": null}',
    '{"code": true}',
    '{"code": "a\\u0000b"}',
    "[1, 2]",
    '"code"',
    "{not json",
    b"\xff\xfe\x00",
]


@dataclass
class Pattern:
    route: str
    name: str | None
    converters: dict
    regex: bool

    @property
    def key(self) -> str:
        """The pattern's name, or its route for the few without one (admin redirects)."""
        return self.name or self.route


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project, namespaced and with its full route."""

    def walk(patterns, prefix, namespace, regex):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            is_regex = regex or isinstance(entry.pattern, RegexPattern)
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, route, ns, is_regex)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                yield Pattern(route, name, dict(getattr(entry.pattern, "converters", {})), is_regex)

    return list(walk(get_resolver().url_patterns, "", None, False))


def admin_samples() -> dict[str, list[dict]]:
    """Path arguments of the admin site's per-object pages: the first row of each model."""
    samples = {}
    for model in admin.site._registry:
        row = model._default_manager.order_by("pk").first()
        if row is None:
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for action in ("change", "delete", "history"):
            samples[f"{prefix}_{action}"] = [{"object_id": str(row.pk)}]
        route = f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"
        samples[route] = [{"object_id": str(row.pk)}]
        if model._meta.model_name == "unit":
            content_type = ContentType.objects.get_for_model(model)
            samples["admin:view_on_site"] = [
                {"content_type_id": str(content_type.pk), "object_id": str(row.pk)}
            ]
    samples["admin:app_list"] = [{"app_label": "accounts"}]
    return samples


_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def url_of(pattern: Pattern, kwargs: dict) -> str | None:
    """The URL of a pattern with these path arguments, or None when it cannot be drawn."""
    if pattern.name:
        return reverse(pattern.name, kwargs=kwargs)
    if pattern.regex:
        return None
    return "/" + _CONVERTER.sub(lambda m: str(kwargs[m.group("name")]), pattern.route)


def unreachable_urls() -> dict[str, str]:
    """URLs of patterns that reverse() cannot draw: the admin's catch-all."""
    return {"admin/(?P<url>.*)$": "/admin/no-such-page/"}


@dataclass
class Form:
    method: str
    action: str
    multipart: bool
    baseline: dict  # name -> value or list of values, as a browser would send it
    files: list[str]
    kinds: dict  # name -> a key of VALUES_BY_KIND
    buttons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        """Every named control, sent in the baseline or not (an unticked box)."""
        return sorted(self.kinds)


# Blanks whose valid values follow a format that a placeholder word does not meet.
VALID_BY_NAME = {
    "id_number": make_id_number(birth=dt.date(1980, 5, 17), sex="M", rng=random.Random(1)),
    "phone": "13800138000",
    "uscc": make_uscc(99_999),
    "surname_pinyin": "ZHANG",
    "given_name_pinyin": "WEI",
    "name_zh": "张伟",
    "number": "DE7654321",  # a diplomatic passport's number: the first kind offered
    "code": "459999",
    "username": "walker",
    "birth_date": "1980-05-17",  # what the ID number above says
}


def _is_date(control, kind: str, name: str) -> bool:
    return kind == "date" or "vDateField" in (control.get("class") or "") or name.endswith("date")


def _autocomplete_choice(control) -> list[str]:
    """The admin's autocomplete select has no options until the user types: the first row of
    the model it chooses from."""
    if "admin-autocomplete" not in (control.get("class") or ""):
        return []
    from django.apps import apps

    source = apps.get_model(control.get("data-app-label"), control.get("data-model-name"))
    target = source._meta.get_field(control.get("data-field-name")).remote_field.model
    first = target._default_manager.order_by("pk").first()
    return [str(first.pk)] if first else []


def _filled(control) -> str | list | None:
    """What a user who fills every blank with a plausible value sends for this control."""
    tag, name = control.tag, control.get("name")
    if tag == "select":
        options = [o.get("value", o.text or "") for o in control.xpath(".//option")]
        chosen = [
            o.get("value", o.text or "")
            for o in control.xpath(".//option")
            if o.get("selected") is not None
        ]
        chosen = [value for value in chosen if value] or [o for o in options if o][:1]
        chosen = chosen or _autocomplete_choice(control)
        return chosen if control.multiple else (chosen or [""])[0]
    if tag == "textarea":
        text = control.text or ""
        return text.removeprefix("\n") or "测试"  # browsers drop the newline after <textarea>
    kind = (control.get("type") or "text").lower()
    value = control.get("value")
    if kind in ("checkbox", "radio"):
        return (value or "on") if control.get("checked") is not None else None
    if kind in ("submit", "button", "reset", "image", "file"):
        return None
    if value or kind == "hidden":
        return value or ""
    if name in VALID_BY_NAME:
        return VALID_BY_NAME[name]
    if _is_date(control, kind, name):
        return (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    return {"number": "1", "email": "a@example.com", "password": "pass-for-tests-1"}.get(
        kind, "测试"
    )


def forms_in(content: bytes, page_url: str) -> list[Form]:
    """The forms of a rendered page, each with the values its controls send when the user
    fills every blank (the baseline that a bad value then replaces field by field)."""
    try:
        document = lxml.html.fromstring(content)
    except (ValueError, etree.ParserError):
        return []
    found = []
    for element in document.forms:
        method = (element.get("method") or "get").lower()
        action = element.get("action") or page_url
        if not action.startswith("/"):
            continue  # another site, or a javascript: placeholder
        baseline: dict = {}
        files = []
        kinds = {}
        radios = {}  # a choice no radio button of which is ticked: the user picks the first
        for control in element.inputs:
            name = control.get("name")
            if not name or name == "csrfmiddlewaretoken" or "__prefix__" in name:
                continue  # the token, and the empty row a script copies to add one
            input_type = (control.get("type") or "text").lower() if control.tag == "input" else ""
            kinds[name] = control_kind(control, input_type, name)
            if input_type == "file":
                files.append(name)
                continue
            if input_type == "radio":
                radios.setdefault(name, control.get("value") or "on")
            value = _filled(control)
            if value is None:
                continue
            if name in baseline:  # several checkboxes of one name
                old = baseline[name]
                baseline[name] = [*(old if isinstance(old, list) else [old]), value]
            else:
                baseline[name] = value
        for name, first in radios.items():
            baseline.setdefault(name, first)
        buttons = [
            (b.get("name"), b.get("value") or "")
            for b in element.xpath(".//button[@name] | .//input[@type='submit'][@name]")
        ]
        found.append(
            Form(
                method=method,
                action=action.split("#")[0],
                multipart="multipart" in (element.get("enctype") or ""),
                baseline=baseline,
                files=files,
                kinds=kinds,
                buttons=buttons,
            )
        )
    return found + _scripted_posts(document, found)


def _scripted_posts(document, forms: list[Form]) -> list[Form]:
    """A script posts the page's form elsewhere: the live findings panel (``data-live-url``,
    with the case's id from ``data-delegation``) sends the application form as typed."""
    posts = []
    for panel in document.xpath("//*[@data-live-url]"):
        extra = {"delegation": panel.get("data-delegation")} if panel.get("data-delegation") else {}
        for form in forms:
            if form.method == "post" and form.baseline and not form.files:
                posts.append(
                    Form(
                        method="post",
                        action=panel.get("data-live-url"),
                        multipart=False,
                        baseline={**form.baseline, **extra},
                        files=[],
                        kinds={**form.kinds, "delegation": "number"},
                        buttons=[],
                    )
                )
    return posts


def junk_upload(name: str) -> SimpleUploadedFile:
    """A file that claims to be a document but is not one."""
    return SimpleUploadedFile(f"{name}.pdf", b"\x00not a real file", content_type="application/pdf")


def good_upload(name: str, action: str) -> SimpleUploadedFile:
    """A file that the field takes: a photo, a list to import, a PDF for the rest."""
    if name == "photo":
        from waiban.passports.tests.helpers import good_photo_bytes

        return SimpleUploadedFile("photo.jpg", good_photo_bytes(), content_type="image/jpeg")
    if name == "image":
        return SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    if "people" in action and "import" in action:
        from waiban.people.importing import import_template

        return SimpleUploadedFile("people.xlsx", import_template())
    if "import" in action:
        rows = "姓名*,出生日期,身份证号,备注,来源\r\n張偉,1965-05-05,,,\r\n"
        return SimpleUploadedFile("list.csv", rows.encode("utf-8-sig"), content_type="text/csv")
    return SimpleUploadedFile("letter.pdf", MINIMAL_PDF, content_type="application/pdf")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (390, 520), (245, 248, 252)).save(out, "PNG")
    return out.getvalue()
