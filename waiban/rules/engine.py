"""The rule engine: a registry of small pure checks, their versions in force, and evaluation.

A check is ``check(facts, params) -> iterable of Hit``. Its default parameters, severity and
source document live here in code (DESIGN.md §4); a RuleVersion row for the authority (or for
every authority) in force on the day overrides them. Nothing is seeded into the database, so an
empty database still judges by the defaults.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from waiban.core.reference import reference
from waiban.rules.models import RuleVersion, Severity
from waiban.rules.params import params_problem

SEVERITY_ORDER = {Severity.BLOCK: 0, Severity.WARN: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Hit:
    """What a check returns: which message, its figures, the triggering data, and a subject when
    one rule can find several things (one per member, say)."""

    message_key: str
    figures: dict
    data: dict = field(default_factory=dict)
    subject: str = ""
    severity: str | None = None  # None: the rule version's severity


@dataclass(frozen=True)
class Rule:
    code: str
    title: object
    severity: str
    source: str
    params: dict
    check: Callable
    note: str = ""

    def params_problem(self, params) -> str:
        """Parameters must have the shape of the defaults (checked on every change)."""
        return params_problem(params, self.params)


@dataclass(frozen=True)
class InForce:
    """The version of one rule used for an evaluation; ``version_id`` None = the code default."""

    code: str
    severity: str
    params: dict
    source: str
    version_id: int | None = None
    effective_from: dt.date | None = None


@dataclass(frozen=True)
class RuleFinding:
    code: str
    severity: str
    message_key: str
    params: dict
    data: dict
    subject: str = ""
    version: InForce | None = None

    @property
    def key(self) -> str:
        return f"{self.code}:{self.subject}" if self.subject else self.code

    @property
    def message(self) -> str:
        return render(self.message_key, self.params)

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "code": self.code,
            "severity": self.severity,
            "title": str(REGISTRY[self.code].title),
            "message": self.message,
            "data": self.data,
        }


REGISTRY: dict[str, Rule] = {}
MESSAGES: dict[str, object] = {}


def rule(code, *, title, severity, source, params, messages=None, note=""):
    """Register a check under ``code`` with its default severity, source and parameters."""

    def register(check):
        REGISTRY[code] = Rule(code, title, severity, source, params, check, note)
        MESSAGES.update(messages or {})
        return check

    return register


def country_names(codes: str) -> str:
    """ "DE, FR" as the reader's language names them: 德国、法国 or Germany, France."""
    from django_countries import countries

    names = [str(countries.name(code.strip())) or code.strip() for code in codes.split(",")]
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(name for name in names if name)


def trip_list(trips) -> str:
    """Each trip a rule counted, by case number and dates, in the reader's language."""
    separator = "；" if (get_language() or "").startswith("zh") else "; "
    return separator.join(
        _("%(trip)s, %(departure)s to %(return)s")
        % {
            "trip": t.get("trip", ""),
            "departure": t.get("departure", ""),
            "return": t.get("return", ""),
        }
        for t in trips
    )


def render(message_key: str, params: dict) -> str:
    """The message in the active language (stored findings are re-rendered for each reader):
    the figures are stored as codes and dates, and named here."""
    from waiban.people.models import Rank
    from waiban.plans.models import PlanItem
    from waiban.plans.status import measures_text
    from waiban.visits.models import InvitingKind

    template = MESSAGES.get(message_key)
    if template is None:
        return message_key
    shown = dict(params)
    for name, choices in (("rank", Rank), ("kind", InvitingKind), ("quarter", PlanItem.Quarter)):
        if shown.get(name) in choices.values:
            shown[name] = choices(shown[name]).label
    for name, value in params.items():  # "countries", "item_countries": codes, shown as names
        if (name == "countries" or name.endswith("_countries")) and isinstance(value, str):
            shown[name] = country_names(value)
    if "exceeded" in shown:  # 'trips', 'budget' ... as words, never the codes
        shown["exceeded"] = measures_text(shown["exceeded"])
    if "trips" not in shown and "trip" in shown:  # stored when only the latest trip was named
        shown["trips"] = [{k: shown.get(k, "") for k in ("trip", "departure", "return")}]
    if isinstance(shown.get("trips"), list):
        shown["trips"] = trip_list(shown["trips"])
    try:
        return str(template) % shown
    except (KeyError, TypeError, ValueError):
        return str(template)


@reference("waiban:rule-versions", sources=("rules.RuleVersion",))
def all_rule_versions() -> list[RuleVersion]:
    """Every rule version, newest first: a short table that submissions read on each call."""
    return list(RuleVersion.objects.order_by("-effective_from", "-created_at", "-id"))


def versions_in_force(*, authority_id, on: dt.date) -> dict[str, InForce]:
    """For each rule: the authority's latest version effective on ``on``, else the latest one for
    every authority, else the code default."""
    own, shared = {}, {}
    for row in all_rule_versions.get():
        if row.effective_from > on or row.authority_id not in (authority_id, None):
            continue
        target = own if row.authority_id is not None else shared
        target.setdefault(row.rule, row)
    result = {}
    for code, spec in REGISTRY.items():
        row = own.get(code) or shared.get(code)
        if row is None:
            result[code] = InForce(code, spec.severity, spec.params, spec.source)
        else:
            result[code] = InForce(
                code, row.severity, row.params, row.source, row.pk, row.effective_from
            )
    return result


def evaluate(facts, versions: dict[str, InForce]) -> list[RuleFinding]:
    findings = []
    for code, spec in REGISTRY.items():
        version = versions[code]
        hits: Iterable[Hit] = spec.check(facts, version.params) or ()
        for hit in hits:
            findings.append(
                RuleFinding(
                    code=code,
                    severity=hit.severity or version.severity,
                    message_key=hit.message_key,
                    params={**hit.figures, "source": version.source},
                    data=hit.data,
                    subject=str(hit.subject),
                    version=version,
                )
            )
    findings.sort(key=lambda f: SEVERITY_ORDER.get(f.severity, 9))
    return findings


def _frequency_limits(versions: dict[str, InForce]) -> list:
    return versions["frequency"].params.get("limits", []) if "frequency" in versions else []


def history_years(versions: dict[str, InForce]) -> int:
    """How far back the frequency rule looks, so the history query fetches no more."""
    return max((int(limit.get("years", 0)) for limit in _frequency_limits(versions)), default=0)


def history_ranks(versions: dict[str, InForce]) -> frozenset[str]:
    """The ranks the frequency rule limits: no other member's past trips are ever looked at
    (a member whose rank no limit names has no limit), so the history query reads no others."""
    return frozenset(rank for limit in _frequency_limits(versions) for rank in limit["ranks"])
