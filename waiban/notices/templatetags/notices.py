from django import template

from waiban.notices.models import Notice

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    user = context["request"].user
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient=user, read_at=None).count()
