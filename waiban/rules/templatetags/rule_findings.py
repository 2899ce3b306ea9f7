"""Fill the visits slots: live findings beside the form, recorded findings on the case page."""

from django import template

from waiban.accounts.roles import Role
from waiban.rules import selectors
from waiban.rules.services import judged_by_versions_of
from waiban.visits.states import EDITABLE_STATES

register = template.Library()


@register.inclusion_tag("rules/form_findings.html", takes_context=True)
def form_findings(context):
    request = context["request"]
    delegation = context.get("delegation")
    if request.method == "POST":
        # As the live endpoint judges it: a case sent back keeps its first submission's rules.
        findings = selectors.live_findings(
            post=request.POST,
            unit=request.user.unit,
            authority_id=request.user.unit.authority_id,
            delegation_id=delegation.pk if delegation else None,
            versions_on=judged_by_versions_of(delegation) if delegation else None,
        )
    elif delegation is not None:
        findings = selectors.draft_findings(delegation)
    else:
        findings = []
    return {"findings": findings, "delegation": delegation}


@register.inclusion_tag("rules/case_findings.html", takes_context=True)
def case_findings(context):
    request, delegation = context["request"], context["delegation"]
    actions = context.get("actions") or []
    if delegation.state in EDITABLE_STATES:
        typed = {
            key[len("justify-") :]: value
            for key, value in request.POST.items()
            if key.startswith("justify-")
        }
        given = {**selectors.previous_justifications(delegation), **typed}
        rows = [
            {
                "key": f.key,
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "justification": given.get(f.key, ""),
            }
            for f in selectors.draft_findings(delegation)
        ]
        can_justify = request.user.role == Role.UNIT_CLERK and (
            "submit" in actions or "resubmit" in actions
        )
        return {"rows": rows, "live": True, "can_justify": can_justify}
    rows = [
        {
            "key": f.key,
            "code": f.rule,
            "severity": f.severity,
            "message": f.shown_message,
            "justification": f.justification,
            "version": f.rule_version,
            "source": f.rule_source,
        }
        for f in selectors.current_findings(delegation)
    ]
    return {"rows": rows, "live": False, "submitted": delegation.submitted_at is not None}
