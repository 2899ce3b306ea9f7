"""``{% kept "name" value ... %}…{% endkept %}``: a part of a page drawn once per language and
set of values, and kept in the "pages" cache; the CSRF tokens of its forms, and ``page_path``
(the address of the page it is drawn into), are holes that each response fills with its own
(waiban.core.holes).

Everything the part shows must be among the values (or fixed by the template and language):
like waiban.core.memo, the key is the content, so nothing is ever invalidated.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from waiban.core.cache import content_get_many, content_set_many
from waiban.core.holes import CSRF_HOLE, PATH_HOLE, fill_csrf_hole
from waiban.core.memo import content_key

register = template.Library()

KEPT_SECONDS = 24 * 3600


class KeptNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name, self.values, self.nodelist = name, values, nodelist

    def render(self, context):
        request = context.get("request")
        if request is None:  # drawn outside a request (an error page): nothing to key on
            return self.nodelist.render(context)
        values = [self.name.resolve(context), get_language()]
        values += [value.resolve(context) for value in self.values]
        key = content_key("waiban:kept:", *values)
        html = content_get_many([key]).get(key)
        if html is None:
            with context.push(csrf_token=CSRF_HOLE, page_path=PATH_HOLE):
                html = self.nodelist.render(context)
            content_set_many({key: html}, KEPT_SECONDS)
        # Inside a page kept with holes itself, the holes stay for that page to fill. (The
        # type, not the value: comparing would draw a token from the lazy one of a live page.)
        token = context.get("csrf_token")
        if type(token) is str and token == CSRF_HOLE:
            return mark_safe(html)
        return fill_csrf_hole(request, html)


@register.tag
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% kept %} needs a name")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]], nodelist
    )
