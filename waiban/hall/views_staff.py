"""The unit clerk's bookings and the window clerk's desk (check-in by code, the queue)."""

import segno
from django import forms
from django.contrib import messages
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waiban.accounts.roles import Role
from waiban.core.errors import ServiceError
from waiban.core.views import client_error_fields, role_required
from waiban.hall import booking as booking_services
from waiban.hall import queue
from waiban.hall.models import Booking, BookingStatus, Ticket, TicketStatus, TimeSlot, Window
from waiban.visits.models import Delegation


def _free_slots(authority_ids):
    return (
        TimeSlot.objects.filter(
            business_type__window__authority_id__in=authority_ids,
            business_type__window__active=True,
            day__gte=timezone.localdate(),
            booked__lt=F("capacity"),
        )
        .select_related("business_type__window")
        .order_by("day", "starts")[:200]
    )


def _slot_label(slot):
    return _("%(day)s %(starts)s–%(ends)s · %(type)s · window %(window)s · %(free)d free") % {
        "day": slot.day,
        "starts": f"{slot.starts:%H:%M}",
        "ends": f"{slot.ends:%H:%M}",
        "type": slot.business_type.name,
        "window": slot.business_type.window.letter,
        "free": slot.free,
    }


SELECT = forms.Select(attrs={"class": "form-select"})


class BookingForm(forms.Form):
    delegation = forms.TypedChoiceField(label=gettext_lazy("Case"), coerce=int, widget=SELECT)
    slot = forms.TypedChoiceField(label=gettext_lazy("Time"), coerce=int, widget=SELECT)

    def __init__(self, *args, cases, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].choices = [
            (c.pk, f"{c.case_number or ''} {c.title}".strip()) for c in cases
        ]
        self.fields["slot"].choices = [(s.pk, _slot_label(s)) for s in slots]


class ChangeForm(forms.Form):
    slot = forms.TypedChoiceField(label=gettext_lazy("New time"), coerce=int, widget=SELECT)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(s.pk, _slot_label(s)) for s in slots]


def _unit_cases(user):
    return (
        Delegation.objects.filter(unit_id=user.unit_id)
        .exclude(state__in=booking_services.NOT_BOOKABLE)
        .order_by("-pk")[:100]
    )


@role_required(Role.UNIT_CLERK)
def bookings(request):
    cases = list(_unit_cases(request.user))
    slots = list(_free_slots({c.authority_id for c in cases}))
    form = BookingForm(request.POST or None, cases=cases, slots=slots)
    if request.method == "POST" and form.is_valid():
        case = next(c for c in cases if c.pk == form.cleaned_data["delegation"])
        try:
            made = booking_services.booking_create(
                actor=request.user, delegation=case, slot_id=form.cleaned_data["slot"]
            )
        except ServiceError as error:
            client_error_fields(form, error)
        else:
            messages.success(
                request, _("Booked. The booking code is %(code)s.") % {"code": made.code}
            )
            return redirect("hall:booking", pk=made.pk)
    mine = (
        Booking.objects.filter(unit_id=request.user.unit_id)
        .select_related("slot__business_type__window", "delegation")
        .order_by("-slot__day", "-pk")[:100]
    )
    return render(request, "hall/bookings.html", {"form": form, "bookings": mine})


def _own_booking(request, pk) -> Booking:
    found = (
        Booking.objects.select_related("slot__business_type__window", "delegation")
        .filter(pk=pk, unit_id=request.user.unit_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


@role_required(Role.UNIT_CLERK)
def booking_detail(request, pk):
    booking = _own_booking(request, pk)
    slots = [s for s in _free_slots([booking.delegation.authority_id]) if s.pk != booking.slot_id]
    form = ChangeForm(request.POST or None, slots=slots, initial={"version": booking.version})
    if request.method == "POST" and form.is_valid():
        try:
            booking_services.booking_change(
                actor=request.user,
                booking_id=booking.pk,
                slot_id=form.cleaned_data["slot"],
                expected_version=form.cleaned_data["version"],
            )
        except ServiceError as error:
            client_error_fields(form, error)
        else:
            messages.success(request, _("The booking now has the new time."))
            return redirect("hall:booking", pk=booking.pk)
    qr_link = request.build_absolute_uri(reverse("hall:check_in", args=[booking.token]))
    # The receipt's QR code: scanned at the hall, it opens the check-in page.
    qr_svg = mark_safe(segno.make(qr_link, error="m").svg_inline(scale=4, title=booking.code))
    return render(
        request,
        "hall/booking.html",
        {
            "booking": booking,
            "form": form,
            "qr_link": qr_link,
            "qr_svg": qr_svg,
            "events": booking.events.all(),
        },
    )


@require_POST
@role_required(Role.UNIT_CLERK)
def booking_cancel(request, pk):
    booking = _own_booking(request, pk)
    try:
        booking_services.booking_cancel(
            actor=request.user, booking_id=booking.pk, expected_version=request.POST.get("version")
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("hall:booking", pk=booking.pk)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Booking code"),
        max_length=8,
        min_length=8,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


@role_required(Role.WINDOW_CLERK)
def desk(request):
    """The window clerk's desk: check in by booking code, and each window's queue today."""
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = booking_services.booking_check_in(
                actor=request.user, code=form.cleaned_data["code"]
            )
        except ServiceError as error:
            client_error_fields(form, error if error.field else _on_code(error))
        else:
            messages.success(
                request, _("Checked in: the queue number is %(ticket)s.") % {"ticket": ticket}
            )
            return redirect("hall:desk")
    today = timezone.localdate()
    windows = list(Window.objects.filter(authority_id=request.user.authority_id, active=True))
    tickets = (
        Ticket.objects.filter(window__in=windows, day=today)
        .exclude(status__in=[TicketStatus.DONE, TicketStatus.NO_SHOW])
        .select_related("issued_at_window", "booking__delegation")
    )
    by_window = {w.pk: [] for w in windows}
    for ticket in tickets:
        by_window[ticket.window_id].append(ticket)
    return render(
        request,
        "hall/desk.html",
        {
            "form": form,
            "rows": [(w, by_window[w.pk]) for w in windows],
            "windows": windows,
            "booked_today": Booking.objects.filter(
                slot__day=today,
                slot__business_type__window__in=windows,
                status=BookingStatus.BOOKED,
            ).count(),
        },
    )


def _on_code(error):
    error.field = "code"
    return error


@require_POST
@role_required(Role.WINDOW_CLERK)
def window_call(request, pk):
    try:
        ticket = queue.ticket_call_next(actor=request.user, window_id=pk)
    except ServiceError as error:
        if error.code == "not_found":
            raise Http404 from None
        messages.error(request, error.message)
    else:
        messages.success(request, _("Called %(ticket)s.") % {"ticket": ticket})
    return redirect("hall:desk")


@require_POST
@role_required(Role.WINDOW_CLERK)
def ticket_move(request, pk):
    action = request.POST.get("action", "")
    version = request.POST.get("version")
    try:
        if action in ("finish", "no_show"):
            queue.ticket_finish(
                actor=request.user,
                ticket_id=pk,
                served=action == "finish",
                expected_version=version,
            )
        elif action == "transfer":
            queue.ticket_transfer(
                actor=request.user,
                ticket_id=pk,
                window_id=request.POST.get("window"),
                expected_version=version,
            )
        else:
            messages.error(request, _("Choose what to do with the number."))
            return redirect("hall:desk")
    except ServiceError as error:
        if error.code == "not_found" and error.field is None and action != "transfer":
            raise Http404 from None
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect("hall:desk")
