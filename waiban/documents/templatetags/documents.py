from django import template

from waiban.documents.selectors import documents_for_delegation

register = template.Library()


@register.inclusion_tag("documents/_case_documents.html")
def case_documents(delegation):
    """The documents panel of the case page (the page itself has already checked access)."""
    return {
        "delegation": delegation,
        "documents": list(documents_for_delegation(delegation=delegation)),
    }
