from django import template

from waiban.changes.forms import ChangeActionForm
from waiban.changes.panel import panel_context

register = template.Library()


@register.inclusion_tag("changes/_case_changes.html", takes_context=True)
def case_changes(context, delegation):
    """The change panel of the case page (the page itself has already checked access)."""
    context_data = panel_context(
        context["request"].user, delegation, change_form=context.get("change_form")
    )
    if context_data["change_form"] is None and context_data["open_change"] is not None:
        context_data["change_form"] = ChangeActionForm(
            initial={"version": context_data["open_change"].version}
        )
    return context_data
