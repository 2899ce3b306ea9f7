"""The hall's public pages: no login, limited per address, no personal data shown."""

from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waiban.core.errors import ServiceError
from waiban.hall.booking import booking_check_in
from waiban.hall.catalogue import published_items
from waiban.hall.models import (
    Booking,
    BookingStatus,
    ServiceFile,
    ServiceItem,
    Ticket,
    TicketStatus,
    Window,
)
from waiban.hall.ratelimit import public_rate_limited


@public_rate_limited("guides")
def index(request):
    return render(request, "hall/index.html", {"items": published_items()})


@public_rate_limited("guides")
def guide(request, code):
    item = ServiceItem.objects.filter(code=code[:40], published=True).first()
    version = item.current_version() if item else None
    if version is None:
        raise Http404
    return render(
        request,
        "hall/guide.html",
        {"item": item, "version": version, "files": item.files.all()},
    )


@public_rate_limited("guides")
def guide_file(request, pk):
    file = ServiceFile.objects.filter(pk=pk, item__published=True).first()
    if file is None or not file.file:
        raise Http404
    try:
        handle = file.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=file.file.name.rsplit("/", 1)[-1])


@public_rate_limited("screen")
def screen(request):
    """The hall's screen: the numbers called at each window today and how many wait."""
    today = timezone.localdate()
    windows = (
        Window.objects.filter(active=True)
        .select_related("authority")
        .annotate(
            waiting=Count(
                "tickets", filter=Q(tickets__day=today, tickets__status=TicketStatus.WAITING)
            ),
            served=Count(
                "tickets", filter=Q(tickets__day=today, tickets__status=TicketStatus.DONE)
            ),
        )
    )
    office = request.GET.get("office", "")
    if office.isdigit():
        windows = windows.filter(authority_id=int(office))
    called = {}
    recent = (
        Ticket.objects.filter(day=today, called_at__isnull=False)
        .select_related("issued_at_window")
        .order_by("-called_at")[:200]
    )
    waits = {}
    for ticket in recent:
        called.setdefault(ticket.window_id, []).append(ticket)
        waits.setdefault(ticket.window_id, []).append(ticket.called_at - ticket.checked_in_at)
    for window in windows:
        # The average wait of today's called numbers, in whole minutes.
        spans = waits.get(window.pk)
        window.average_wait = (
            round(sum(s.total_seconds() for s in spans) / len(spans) / 60) if spans else None
        )
    rows = [(window, called.get(window.pk, [])[:5]) for window in windows]
    return render(request, "hall/screen.html", {"rows": rows, "now": timezone.localtime()})


@require_http_methods(["GET", "POST"])
@public_rate_limited("check-in", limit=30)
def check_in_by_qr(request, token):
    """The receipt's QR link: on the booking's day, one press gives the queue number."""
    booking = (
        Booking.objects.select_related("slot__business_type__window")
        .filter(token=token[:64])
        .first()
    )
    if booking is None:
        raise Http404
    ticket, error = getattr(booking, "ticket", None), ""
    if request.method == "POST" and booking.status == BookingStatus.BOOKED:
        try:
            ticket = booking_check_in(actor=None, token=booking.token)
            booking.refresh_from_db()
        except ServiceError as problem:
            error = problem.message
    return render(
        request,
        "hall/check_in.html",
        {"booking": booking, "ticket": ticket, "error": error, "title": _("Check in")},
    )


@public_rate_limited("guides")
def advisories(request):
    from waiban.hall.advisories import advisories_in_force

    return render(request, "hall/advisories.html", {"advisories": advisories_in_force()})


@public_rate_limited("guides")
def announcements(request):
    from django.conf import settings

    from waiban.hall.announcements import announced_cases

    item = ServiceItem.objects.filter(code="official-visit").first()
    version = item.current_version() if item else None
    return render(
        request,
        "hall/announcements.html",
        {
            "rows": announced_cases(),
            "show_unit": getattr(settings, "HALL_ANNOUNCE_UNIT_NAMES", True),
            "item_name": version.name if version else _("Official overseas visit"),
        },
    )
