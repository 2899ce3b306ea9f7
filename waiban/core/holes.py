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
    if CSRF_HOLE in html:
        # One masked token per response is enough for all its forms (masking draws randomness).
        token = getattr(request, "_csrf_token_for_holes", None) or get_token(request)
        request._csrf_token_for_holes = token
        html = html.replace(CSRF_HOLE, token)
    return mark_safe(html.replace(PATH_HOLE, escape(request.get_full_path())))


def render_with_csrf_hole(request, template_name: str, context: dict) -> str:
    """The page as ``render`` would draw it (context processors included), but with the hole
    where the token goes: the last processor's value wins."""
    template = get_template(template_name).template
    return template.render(
        RequestContext(request, context, processors=[lambda _request: {"csrf_token": CSRF_HOLE}])
    )
