"""Pages and fragments kept in a cache for many visitors, with holes for what is each one's own.

A form's token belongs to the visitor (it is derived from their CSRF cookie), so a rendering
that is kept and served to others carries a placeholder instead, and every response fills in
the token of its own visitor; the same for the address of the page a part is drawn into (the
menu's language switch returns there), so that one menu serves every page.
"""

from django.middleware.csrf import get_token
from django.template import RequestContext
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CSRF_HOLE = "\x00csrf-token\x00"
PATH_HOLE = "\x00page-path\x00"


def fill_csrf_hole(request, html: str) -> SafeString:
    html = html.replace(PATH_HOLE, escape(request.get_full_path()))
    return mark_safe(html.replace(CSRF_HOLE, get_token(request)))


def render_with_csrf_hole(request, template_name: str, context: dict) -> str:
    """The page as ``render`` would draw it (context processors included), but with the hole
    where the token goes: the last processor's value wins."""
    template = get_template(template_name).template
    return template.render(
        RequestContext(request, context, processors=[lambda _request: {"csrf_token": CSRF_HOLE}])
    )
