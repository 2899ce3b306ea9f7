from django import template

from waiban.notices import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    user = context["request"].user
    if not user.is_authenticated:
        return 0
    return selectors.unread_notice_count(user)


@register.inclusion_tag("notices/todos.html", takes_context=True)
def todo_block(context):
    from waiban.notices.todos import todos_for

    return {"todos": todos_for(context["request"].user)}
