"""The Simplified Chinese catalogue is complete, consistent and compiled; the UI switches language.

The .po parser below is deliberately tiny: it understands exactly what `makemessages` writes
(comments, flags, msgctxt, msgid, msgid_plural, msgstr, msgstr[N], continuation lines).
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LC_MESSAGES = Path(settings.BASE_DIR) / "waiban" / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# %(name)s, %(size).1f, %(n)d ... (Django only uses named placeholders in python-format strings)
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


@dataclass
class Entry:
    line: int
    flags: set = field(default_factory=set)
    fields: dict = field(default_factory=dict)  # keyword -> unescaped text
    obsolete: bool = False

    @property
    def msgid(self):
        return self.fields.get("msgid", "")

    @property
    def msgstrs(self):
        return {k: v for k, v in self.fields.items() if k.startswith("msgstr")}

    @property
    def is_header(self):
        return self.msgid == "" and "msgctxt" not in self.fields


def _unquote(token: str) -> str:
    return ast.literal_eval(token)  # a .po string literal is a valid Python str literal


def parse_po(path: Path) -> list[Entry]:
    entries, current, keyword = [], Entry(line=1), None

    def entry_for(lineno):
        """A comment, msgctxt or msgid after a msgstr opens the next entry."""
        nonlocal current
        if current.msgstrs:
            entries.append(current)
            current = Entry(line=lineno)
        if not current.fields and not current.flags:
            current.line = lineno
        return current

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:  # "#~ msgid ..." : an entry no longer in the code; parse it, then drop it
            line = line[2:].strip()
        if not line:
            continue
        if line.startswith("#"):
            entry = entry_for(lineno)
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(","))
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            keyword, literal = match.groups()
            entry = entry_for(lineno) if keyword in ("msgctxt", "msgid") else current
            entry.fields[keyword] = _unquote(literal)
            entry.obsolete = entry.obsolete or obsolete
        elif line.startswith('"') and keyword:
            current.fields[keyword] += _unquote(line)
        else:
            raise AssertionError(f"{path}:{lineno}: cannot parse {raw!r}")
    if current.fields:
        entries.append(current)
    return [e for e in entries if not e.obsolete]


@pytest.fixture(scope="module")
def entries():
    assert PO.exists(), f"{PO} is missing: run makemessages -l zh_Hans"
    parsed = parse_po(PO)
    assert len(parsed) > 100, "the catalogue looks truncated"
    return parsed


def _where(entry):
    return f"{PO.name}:{entry.line} {entry.msgid!r}"


def test_parser_reads_the_header(entries):
    header = [e for e in entries if e.is_header]
    assert len(header) == 1
    assert "Plural-Forms: nplurals=1; plural=0;" in header[0].fields["msgstr"]


def test_every_entry_is_translated(entries):
    empty = [_where(e) for e in entries if any(not s for s in e.msgstrs.values()) or not e.msgstrs]
    assert not empty, "untranslated entries:\n" + "\n".join(empty)


def test_no_entry_is_fuzzy(entries):
    fuzzy = [_where(e) for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries (Django ignores them):\n" + "\n".join(fuzzy)


def test_placeholders_survive_translation(entries):
    problems = []
    for e in entries:
        if "python-format" not in e.flags:
            continue
        wanted = set(PLACEHOLDER.findall(e.msgid)) | set(
            PLACEHOLDER.findall(e.fields.get("msgid_plural", ""))
        )
        for key, text in e.msgstrs.items():
            found = set(PLACEHOLDER.findall(text))
            if missing := wanted - found:
                problems.append(f"{_where(e)} {key}: missing {sorted(missing)}")
            if extra := found - wanted:
                problems.append(f"{_where(e)} {key}: unknown {sorted(extra)}")
    assert not problems, "\n".join(problems)


def test_chinese_plural_forms_have_one_form(entries):
    for e in entries:
        if "msgid_plural" in e.fields:
            assert set(e.msgstrs) == {"msgstr[0]"}, _where(e)


def test_compiled_catalogue_is_up_to_date(entries):
    assert MO.exists(), f"{MO} is missing: run compilemessages -l zh_Hans"
    if MO.stat().st_mtime >= PO.stat().st_mtime:
        return
    # A git checkout does not keep modification times, so an older .mo may still be
    # current: then it must hold exactly what the .po says.
    with MO.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    stale = []
    for e in entries:
        if e.is_header:
            continue
        msgid = e.msgid if "msgctxt" not in e.fields else f"{e.fields['msgctxt']}\x04{e.msgid}"
        if "msgid_plural" in e.fields:
            ok = catalog.get((msgid, 0)) == e.fields["msgstr[0]"]
        else:
            ok = catalog.get(msgid) == e.fields["msgstr"]
        if not ok:
            stale.append(_where(e))
    assert not stale, (
        f"{MO.name} is older than {PO.name} and differs from it; run "
        "`manage.py compilemessages -l zh_Hans --ignore=.venv`:\n" + "\n".join(stale[:20])
    )


@pytest.fixture
def chinese_default(settings):
    """The suite runs in English (see waiban/conftest.py); restore the real default here."""
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.mark.django_db
@pytest.mark.usefixtures("chinese_default")
def test_login_page_is_chinese_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "登录" in html
    assert '<html lang="zh-hans">' in html
    assert "Log in" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("chinese_default")
def test_login_page_in_english_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/accounts/login/").content.decode()
    assert "Log in" in html
    assert "登录" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("chinese_default")
def test_login_page_in_english_with_accept_language(client):
    html = client.get("/accounts/login/", headers={"accept-language": "en"}).content.decode()
    assert "Log in" in html
    assert "登录" not in html
