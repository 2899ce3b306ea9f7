"""Public pages and the landing page that sends each role to its own start page."""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from waiban.accounts.roles import OFFICE_ROLES, UNIT_ROLES, Role
from waiban.core.holes import fill_csrf_hole, render_with_csrf_hole
from waiban.portal.progress import keep_page, kept_page, progress_card


def home(request):
    user = request.user
    if user.is_authenticated:
        if user.role == Role.TRAVELLER:
            return redirect("visits:mine")
        if user.role in UNIT_ROLES:
            return redirect("visits:list")
        if user.role in OFFICE_ROLES:
            return redirect("visits:workbench")
        if user.is_staff:
            return redirect("admin:index")
    return render(request, "portal/home.html")


def _nothing_of_the_visitors_own(request) -> bool:
    """An anonymous visitor with no session (so no messages waiting): the page they get is the
    same for everyone asking about the same case, but for the CSRF token."""
    return (
        request.user.is_anonymous
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def progress(request):
    """The public progress query. Citizens ask again and again about the same few cases, so a
    visitor's page is kept whole (with a hole for the token) until the case moves."""
    number = (request.GET.get("case") or "").strip()[:20]
    shared = _nothing_of_the_visitors_own(request)
    if shared and (html := kept_page(request, number)) is not None:
        return HttpResponse(fill_csrf_hole(request, html))
    card = progress_card(number) if number else None
    error = ""
    if number and card is None:
        error = _("No case has this number. Check the number on your receipt.")
    context = {"number": number, "card": mark_safe(card or ""), "error": error}
    if not shared or error:  # unknown numbers are not worth keeping
        return render(request, "portal/progress.html", context)
    html = render_with_csrf_hole(request, "portal/progress.html", context)
    keep_page(request, number, html)
    return HttpResponse(fill_csrf_hole(request, html))
