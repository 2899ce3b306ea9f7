"""Case-page snippets for the lead to place in the case page's slot.

``{% watchlist_case_notice delegation %}``: for a unit: only that the office will check the
application, and only while an exact match is not cleared; never the list, the entry, the
member, nor a possible name match (the reviewer's alone). Office roles that do not decide see
that a hit waits for the reviewer.
``{% watchlist_case_hits delegation %}``: for reviewers, approvers and supervisors: each hit with
its entry and list, and the decision form for whoever may decide; anyone else gets the notice.
``{% watchlist_open_hit_count as n %}``: open hits in the user's scope, for a menu badge.
"""

from django import template

from waiban.watchlists import selectors
from waiban.watchlists.forms import HitDecisionForm
from waiban.watchlists.services import can_decide

register = template.Library()


@register.inclusion_tag("watchlists/case_notice.html")
def watchlist_case_notice(delegation):
    return {"needs_review": selectors.case_held_for_the_unit(delegation)}


@register.inclusion_tag("watchlists/case_hits.html", takes_context=True)
def watchlist_case_hits(context, delegation):
    request = context["request"]
    user = request.user
    if user.role not in selectors.HIT_ROLES:
        held = (
            selectors.case_needs_review(delegation)
            if user.is_office_staff
            else selectors.case_held_for_the_unit(delegation)
        )
        return {"staff": False, "needs_review": held}
    rows = [
        {
            "hit": hit,
            "form": HitDecisionForm(
                initial={"next": request.get_full_path()}, auto_id=f"hit{hit.pk}-%s"
            )
            if hit.status == hit.Status.OPEN and can_decide(user, hit)
            else None,
        }
        for hit in selectors.case_hits(user=user, delegation=delegation)
    ]
    return {"staff": True, "rows": rows, "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def watchlist_open_hit_count(context):
    user = context["request"].user
    if not user.is_authenticated or user.role not in selectors.HIT_ROLES:
        return 0
    return selectors.open_hit_count(user)
