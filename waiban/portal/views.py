"""Public pages and the landing page that sends each role to its own start page."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from waiban.accounts.roles import OFFICE_ROLES, UNIT_ROLES, Role
from waiban.core.ratelimit import limit_reached
from waiban.portal.access import secret_opens
from waiban.portal.progress import progress_of


def home(request):
    user = request.user
    if user.is_authenticated:
        if user.role == Role.TRAVELLER:
            return redirect("visits:mine")
        if user.role in UNIT_ROLES:
            return redirect("visits:list")
        if user.role == Role.VISA_OFFICER:  # their work is the visas of approved trips
            return redirect("visas:workbench")
        if user.role in OFFICE_ROLES:
            return redirect("visits:workbench")
        if user.is_staff:
            return redirect("admin:index")
    return render(request, "portal/home.html")


def progress(request):
    """The public progress query: the case number and the query code printed on the receipt
    (or the receipt QR's link) show where the case is. Each address may ask a limited number
    of times per window, so neither numbers nor codes can be walked."""
    number = (request.GET.get("case") or "").strip()[:20]
    code = (request.GET.get("code") or "").strip()[:20]
    key = (request.GET.get("key") or "").strip()[:64]
    context = {"number": number, "code": code, "key": key, "card": None, "errors": {}}
    if not number:
        return render(request, "portal/progress.html", context)
    if limit_reached(
        request,
        scope="progress",
        limit=settings.PROGRESS_QUERY_LIMIT,
        window=settings.RATE_LIMIT_WINDOW_SECONDS,
    ):
        context["errors"]["form"] = _(
            "Too many queries from your address. Wait %(minutes)d minutes and try again."
        ) % {"minutes": settings.RATE_LIMIT_WINDOW_SECONDS // 60}
        context["limited"] = True
        return render(request, "portal/progress.html", context, status=429)
    if not code and not key:
        context["errors"]["code"] = _(
            "Type the query code printed on the receipt under the number."
        )
        return render(request, "portal/progress.html", context)
    card = progress_of(number) if secret_opens(number, code=code, key=key) else None
    if card is None:
        # One answer for a wrong number and a wrong code: the page tells nobody which exists.
        context["errors"]["code"] = _(
            "No case matches this number and query code. Check both on your receipt."
        )
    context["card"] = card
    return render(request, "portal/progress.html", context)
