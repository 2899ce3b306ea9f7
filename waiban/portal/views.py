"""Public pages and the landing page that sends each role to its own start page."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from waiban.accounts.roles import OFFICE_ROLES, UNIT_ROLES, Role
from waiban.visits.models import Delegation
from waiban.visits.states import NEXT_STEP


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


# What the public may learn from a case number: where it is and what happened when; no names,
# no personal data, no reasons.
PUBLIC_ACTIONS = {
    "submit",
    "resubmit",
    "return",
    "accept",
    "review",
    "approve",
    "refuse",
    "withdraw",
    "cancel",
}


def progress(request):
    number = (request.GET.get("case") or "").strip()
    delegation = None
    error = ""
    if number:
        delegation = Delegation.objects.filter(case_number=number).select_related("unit").first()
        if delegation is None:
            error = _("No case has this number. Check the number on your receipt.")
    events = []
    if delegation:
        events = [e for e in delegation.events.order_by("at", "id") if e.action in PUBLIC_ACTIONS]
    return render(
        request,
        "portal/progress.html",
        {
            "number": number,
            "delegation": delegation,
            "events": events,
            "error": error,
            "next_step": NEXT_STEP.get(delegation.state) if delegation else None,
        },
    )
