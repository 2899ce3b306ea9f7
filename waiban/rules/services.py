"""Writes of the rules app: new rule versions, and the check and record at submission."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from waiban.core.audit import audit_record
from waiban.core.calendar import WorkingCalendar
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.rules.engine import (
    REGISTRY,
    InForce,
    RuleFinding,
    evaluate,
    history_ranks,
    history_years,
    versions_in_force,
)
from waiban.rules.facts import facts_from_delegation
from waiban.rules.models import Finding, RuleVersion, Severity


def rule_version_create(
    *, actor, rule, severity, params, source, effective_from, authority=None, note=""
) -> RuleVersion:
    """A new version of a rule; earlier versions stay and keep judging earlier submissions."""
    if actor.role != "sys_admin" and not actor.is_superuser:
        raise PermissionDenied("wrong_role", _("Only the system administrator configures rules."))
    if rule not in REGISTRY:
        raise ServiceError("unknown_rule", _("There is no such rule."), field="rule")
    if severity not in Severity.values:
        raise ServiceError("bad_severity", _("Choose a severity."), field="severity")
    problem = REGISTRY[rule].params_problem(params)
    if problem:
        raise ServiceError("bad_params", problem, field="params")
    if not (source or "").strip():
        raise ServiceError("source_required", _("Name the source document."), field="source")
    with transaction.atomic():
        version = RuleVersion.objects.create(
            authority=authority,
            rule=rule,
            severity=severity,
            params=params,
            source=source.strip(),
            effective_from=effective_from,
            note=note,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="rules.version_create",
            obj=version,
            new={
                "rule": rule,
                "authority": authority,
                "severity": severity,
                "params": params,
                "source": version.source,
                "effective_from": effective_from,
                "note": note,
            },
        )
    return version


@dataclass
class Evaluation:
    findings: list[RuleFinding]
    versions: dict[str, InForce]
    # The members' control-list matches read for the rules (Facts.screening), for the
    # submission to store as hits.
    screening: tuple = ()

    def summary(self) -> dict:
        return {code: v.version_id or "default" for code, v in self.versions.items()}


def delegation_evaluate(*, delegation, on, calendar=None, versions_on=None) -> Evaluation:
    """Every rule in force on ``versions_on`` (default ``on``) against a saved delegation as it
    stands on ``on`` (a fixed number of queries)."""
    versions = versions_in_force(authority_id=delegation.authority_id, on=versions_on or on)
    facts = facts_from_delegation(
        delegation,
        as_of=on,
        history_years=history_years(versions),
        history_ranks=history_ranks(versions),
        calendar=calendar or WorkingCalendar(),
    )
    return Evaluation(evaluate(facts, versions), versions, facts.screening)


def _problem(finding, message):
    return {"field": finding.code, "key": finding.key, "message": message}


def judged_by_versions_of(delegation):
    """The day whose rule versions judge a case: its first submission's, through every
    resubmission after a correction (None for a draft never submitted: today's)."""
    from django.utils import timezone

    return timezone.localdate(delegation.submitted_at) if delegation.submitted_at else None


def submission_check(*, delegation, on, justifications=None, versions_on=None) -> Evaluation:
    """Refuse on a block finding, or on a warning without its written justification.

    Raises ServiceError "rule_blocked" or "justification_required"; ``params["problems"]``
    lists each finding in the same shape as the completeness problems.
    """
    justifications = {k: (v or "").strip() for k, v in (justifications or {}).items()}
    evaluation = delegation_evaluate(delegation=delegation, on=on, versions_on=versions_on)
    blocks = [f for f in evaluation.findings if f.severity == Severity.BLOCK]
    if blocks:
        raise ServiceError(
            "rule_blocked",
            _("The application breaks a rule: fix it before submitting."),
            params={
                "problems": [_problem(f, f.message) for f in blocks],
                "findings": [f.as_json() for f in blocks],
            },
        )
    missing = [
        f
        for f in evaluation.findings
        if f.severity == Severity.WARN and not justifications.get(f.key)
    ]
    if missing:
        raise ServiceError(
            "justification_required",
            _("Explain in writing why each warning is justified."),
            params={
                "problems": [
                    _problem(f, _("Justify: %(message)s") % {"message": f.message}) for f in missing
                ],
                "findings": [f.as_json() for f in missing],
            },
        )
    return evaluation


def submission_round(delegation) -> int:
    """How many times the case was (re)submitted: the findings of the latest round are current."""
    return delegation.events.filter(action__in=["submit", "resubmit"]).count()


def findings_record(
    *, delegation, evaluation, actor, justifications=None, round_=None
) -> list[Finding]:
    """Store the findings of this (re)submission with the version and parameters used; call it
    after the submission event is written. ``round_``: when the caller knows it (a first
    submission is round 1); None counts the submission events."""
    justifications = justifications or {}
    if round_ is None:
        round_ = submission_round(delegation)
    rows = [
        Finding(
            delegation=delegation,
            round=round_,
            rule=f.code,
            key=f.key,
            severity=f.severity,
            message_key=f.message_key,
            params=f.params,
            data=f.data,
            message=f.message,
            rule_version_id=f.version.version_id,
            rule_params=f.version.params,
            rule_source=f.version.source,
            justification=(justifications.get(f.key) or "").strip()
            if f.severity == Severity.WARN
            else "",
            created_by=actor,
        )
        for f in evaluation.findings
    ]
    return Finding.objects.bulk_create(rows)
