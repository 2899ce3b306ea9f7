"""The visa regime table: loading an edition from its file, and looking a regime up.

The file is a CSV with ``# key: value`` lines on top (edition, source, published) and one row
per country and set of passport kinds (waiban/visas/data/). Loading checks every row first and
refuses the whole file, naming each bad line, so a half-loaded edition never becomes current.
"""

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from waiban.core.audit import audit_record
from waiban.core.errors import ServiceError
from waiban.core.reference import reference
from waiban.passports.states import Kind
from waiban.visas.models import Embassy, RegimeEdition, VisaRegime
from waiban.visas.states import Condition, Regime

REQUIRED_META = ("edition", "source", "published")
HK_MACAO_TAIWAN = {"HK", "MO", "TW"}  # regions: a permit, not a visa


@dataclass(frozen=True)
class LookedUp:
    """The regime of one passport kind in one country on one day, and the row that says so
    (None: the table has no row, so a visa is required; or the row whose condition the trip
    does not meet)."""

    regime: str
    row: VisaRegime | None = None

    @property
    def max_stay_days(self):
        return self.row.max_stay_days if self.row else None


def _date(text, line, name, problems):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(
            _("Line %(line)d: %(name)s “%(value)s” is not a date (YYYY-MM-DD).")
            % {"line": line, "name": name, "value": text}
        )
        return None


def _yes(text) -> bool:
    return (text or "").strip().lower() in ("yes", "y", "true", "1", "是")


def parse_regime_file(data: bytes):
    """(meta, rows) of a regime file; ServiceError("bad_file") naming every bad line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ServiceError("bad_file", _("The file is not UTF-8 text.")) from error
    meta, body = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip() in REQUIRED_META:
                meta[key.strip()] = value.strip()
            continue
        body.append((number, line))
    problems = [
        _("The file's header lacks “# %(key)s: …”.") % {"key": key}
        for key in REQUIRED_META
        if not meta.get(key)
    ]
    published = _date(meta.get("published"), 0, "published", problems)
    reader = csv.DictReader(io.StringIO("\n".join(line for _n, line in body)))
    numbers = [n for n, _line in body][1:]
    rows = []
    for record, line in zip(reader, numbers, strict=False):
        country = (record.get("country") or "").strip().upper()
        if country not in dict(countries) or country in HK_MACAO_TAIWAN:
            problems.append(
                _("Line %(line)d: “%(value)s” is not a country code.")
                % {"line": line, "value": country}
            )
        kinds = [k.strip() for k in (record.get("passport_kinds") or "").split(";") if k.strip()]
        if not kinds or any(k not in Kind.values or k == Kind.HK_MACAO_PERMIT for k in kinds):
            problems.append(
                _("Line %(line)d: unknown passport kind in “%(value)s”.")
                % {"line": line, "value": record.get("passport_kinds") or ""}
            )
        regime = (record.get("regime") or "").strip()
        if regime not in Regime.values:
            problems.append(
                _("Line %(line)d: unknown regime “%(value)s”.") % {"line": line, "value": regime}
            )
        condition = (record.get("condition") or "").strip()
        if condition not in Condition.values:
            problems.append(
                _("Line %(line)d: unknown condition “%(value)s”.")
                % {"line": line, "value": condition}
            )
        stay = (record.get("max_stay_days") or "").strip()
        if stay and not (stay.isdigit() and 0 < int(stay) < 1000):
            problems.append(
                _("Line %(line)d: the maximum stay “%(value)s” is not a number of days.")
                % {"line": line, "value": stay}
            )
        valid_from = _date(record.get("valid_from"), line, "valid_from", problems)
        valid_to = _date(record.get("valid_to"), line, "valid_to", problems)
        if valid_from and valid_to and valid_to < valid_from:
            problems.append(_("Line %(line)d: valid_to is before valid_from.") % {"line": line})
        for kind in kinds:
            rows.append(
                {
                    "country": country,
                    "passport_kind": kind,
                    "regime": regime,
                    "max_stay_days": int(stay) if stay.isdigit() else None,
                    "condition": condition,
                    "conditions": (record.get("conditions") or "").strip(),
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "to_verify": _yes(record.get("to_verify")),
                    "source": (record.get("note") or "").strip()[:300],
                }
            )
    if not rows and not problems:
        problems.append(_("The file has no rows."))
    if problems:
        raise ServiceError("bad_file", "\n".join(problems), params={"problems": problems})
    meta["published"] = published
    return meta, rows


def regime_edition_load(*, data: bytes, actor=None) -> RegimeEdition:
    """Load a new edition of the table; it becomes the current one. The same file twice is
    refused (nothing new to load)."""
    meta, rows = parse_regime_file(data)
    digest = hashlib.sha256(data).hexdigest()
    from waiban.visas.alerts import regime_changes_tell

    with transaction.atomic():
        previous = RegimeEdition.objects.order_by("-loaded_at", "-id").first()
        if RegimeEdition.objects.filter(file_sha256=digest).exists():
            raise ServiceError("already_loaded", _("This file has already been loaded."))
        edition = RegimeEdition.objects.create(
            name=meta["edition"][:100],
            source=meta["source"][:300],
            published_on=meta["published"],
            file_sha256=digest,
            loaded_by=actor,
        )
        VisaRegime.objects.bulk_create(
            VisaRegime(edition=edition, **{**row, "source": row["source"] or edition.source[:300]})
            for row in rows
        )
        audit_record(
            actor=actor,
            action="visas.regime_edition_load",
            obj=edition,
            new={"name": edition.name, "rows": len(rows), "sha256": digest},
        )
        if previous is not None:
            regime_changes_tell(previous=previous, edition=edition)
    return edition


@reference("waiban:visa-reference", sources=("visas.RegimeEdition", "visas.Embassy"))
def visa_reference() -> dict:
    """The current edition's id (the newest loaded) and the embassies in use by country: read
    by every case page and every rule check, changed a few times a year."""
    edition = (
        RegimeEdition.objects.order_by("-loaded_at", "-id").values_list("pk", flat=True).first()
    )
    embassies = {}
    for embassy in Embassy.objects.filter(is_active=True).order_by("country", "kind", "city"):
        embassies.setdefault(embassy.country.code, []).append(embassy)
    return {"edition": edition, "embassies": embassies}


def current_edition_id() -> int | None:
    return visa_reference.get()["edition"]


def embassies_in(countries_) -> list[Embassy]:
    """The embassies in use for these countries (from the reference cache: no query)."""
    known = visa_reference.get()["embassies"]
    return [e for code in countries_ for e in known.get(code, [])]


def regime_rows(countries_, kinds, *, edition_id=None) -> dict:
    """The current (or the given) edition's rows for these countries and kinds, by (country
    code, passport kind): one query."""
    edition = edition_id or current_edition_id()
    if edition is None or not countries_:
        return {}
    index = {}
    rows = VisaRegime.objects.filter(
        edition_id=edition, country__in=list(countries_), passport_kind__in=list(kinds)
    ).order_by("valid_from", "id")
    for row in rows:
        index.setdefault((row.country.code, row.passport_kind), []).append(row)
    return index


def regime_for(rows: dict, *, country, kind, on: dt.date | None, ministerial: bool) -> LookedUp:
    """Pick the row in force on ``on`` for this country and kind whose checked condition holds.
    No row: a visa is required (the MFA's list names exemptions only)."""
    unmet = None
    for row in rows.get((country, kind), ()):
        if on and (
            (row.valid_from and on < row.valid_from) or (row.valid_to and on > row.valid_to)
        ):
            continue
        if row.condition == Condition.MINISTERIAL_DELEGATION and not ministerial:
            unmet = row  # shown with the need: why this trip does not benefit from it
            continue
        return LookedUp(row.regime, row)
    return LookedUp(Regime.VISA_REQUIRED, unmet)


def embassies_load(*, data: bytes, actor=None) -> int:
    """Add or update embassies from a CSV (waiban/visas/data/embassies.csv), by country and city
    and kind; the number of rows read."""
    text = data.decode("utf-8-sig")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    count = 0
    with transaction.atomic():
        for record in csv.DictReader(io.StringIO("\n".join(lines))):
            country = (record.get("country") or "").strip().upper()
            if country not in dict(countries):
                raise ServiceError(
                    "bad_file", _("“%(value)s” is not a country code.") % {"value": country}
                )
            lead = (record.get("default_lead_days") or "15").strip()
            embassy, _created = Embassy.objects.update_or_create(
                country=country,
                city=record["city"].strip(),
                kind=(record.get("kind") or "embassy").strip(),
                defaults={
                    "name": record["name"].strip(),
                    "jurisdiction": (record.get("jurisdiction") or "").strip(),
                    "via_mfa": _yes(record.get("via_mfa")),
                    "default_lead_days": int(lead) if lead.isdigit() else 15,
                },
            )
            audit_record(
                actor=actor, action="visas.embassy_load", obj=embassy, new={"name": embassy.name}
            )
            count += 1
    return count
