"""Public pages and the landing page that sends each role to its own start page."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from waiban.accounts.roles import OFFICE_ROLES, UNIT_ROLES, Role
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
    """The public progress query: anyone with a case number sees where the case is."""
    number = (request.GET.get("case") or "").strip()[:20]
    card = progress_of(number) if number else None
    error = ""
    if number and card is None:
        error = _("No case has this number. Check the number on your receipt.")
    return render(request, "portal/progress.html", {"number": number, "card": card, "error": error})
