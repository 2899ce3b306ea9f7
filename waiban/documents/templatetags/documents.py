from django import template

from waiban.documents.selectors import documents_for_delegation
from waiban.visits.states import TRIP_STATES, State

HAS_DOCUMENTS = TRIP_STATES | {State.CANCELLED}

register = template.Library()


@register.inclusion_tag("documents/_case_documents.html", takes_context=True)
def case_documents(context, delegation):
    """The documents panel of the case page (the page itself has already checked access)."""
    user = context["request"].user
    return {
        "delegation": delegation,
        # Approvers re-issue after a correction of an approved case (old versions are revoked).
        "can_reissue": user.role == "approver" and delegation.is_authorised,
        # Documents exist from the approval on: earlier states have none to read.
        "documents": list(documents_for_delegation(delegation=delegation))
        if delegation.state in HAS_DOCUMENTS
        else [],
    }
