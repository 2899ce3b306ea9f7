"""The public service hall: the service catalogue (办事指南), the windows with their time slots,
bookings and queue tickets.

A guide is versioned: each edit is a new ``ServiceGuideVersion`` row, and the public sees the
highest number. Bookings and tickets keep their current state on the row and their moves in an
append-only history table (``HallEvent``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class ServiceItem(models.Model):
    """A service the office offers (an official visit's approval, a passport, an apostille…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")

    def __str__(self):
        current = self.current_version()
        return current.name if current else self.code

    def current_version(self):
        return self.versions.order_by("-number").first()


class ServiceGuideVersion(models.Model):
    """One version of a service item's guide; never changed once saved (a change is a new one)."""

    item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="versions", verbose_name=_("item")
    )
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=100)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    materials = models.TextField(_("materials"), blank=True, help_text=_("One material a line."))
    steps = models.TextField(_("steps"), blank=True, help_text=_("One step a line."))
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"), default=0)
    fees = models.CharField(_("fees"), max_length=300, blank=True)
    place_and_hours = models.TextField(_("where and when"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="uniq_guide_version"),
        ]
        verbose_name = _("service guide version")
        verbose_name_plural = _("service guide versions")

    def __str__(self):
        return f"{self.name} v{self.number}"

    def material_lines(self):
        return [line.strip() for line in self.materials.splitlines() if line.strip()]

    def step_lines(self):
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class ServiceFile(models.Model):
    """A template or a filled-in sample of a material, to download from the guide."""

    class Kind(models.TextChoices):
        TEMPLATE = "template", _("Template")
        SAMPLE = "sample", _("Sample")

    item = models.ForeignKey(
        ServiceItem, on_delete=models.CASCADE, related_name="files", verbose_name=_("item")
    )
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEMPLATE)
    file = models.FileField(_("file"), upload_to="hall/guides/%Y/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["item", "kind", "title"]
        verbose_name = _("guide file")
        verbose_name_plural = _("guide files")

    def __str__(self):
        return self.title


class Window(models.Model):
    """A counter in the hall; its letter prefixes its queue numbers (A-0012)."""

    authority = models.ForeignKey(
        "accounts.Authority", on_delete=models.PROTECT, related_name="windows"
    )
    letter = models.CharField(_("letter"), max_length=2)
    name = models.CharField(_("name"), max_length=60)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["authority", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "letter"], name="uniq_window_letter"),
        ]
        verbose_name = _("window")
        verbose_name_plural = _("windows")

    def __str__(self):
        return f"{self.letter} {self.name}"


class BusinessType(models.Model):
    """A kind of business that takes appointments, served at one window."""

    window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="business_types")
    name = models.CharField(_("name"), max_length=60)
    service_item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["window", "name"]
        verbose_name = _("business type")
        verbose_name_plural = _("business types")

    def __str__(self):
        return self.name


class TimeSlot(models.Model):
    business_type = models.ForeignKey(BusinessType, on_delete=models.PROTECT, related_name="slots")
    day = models.DateField(_("day"))
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    # Kept under the slot's row lock by the booking services: never above capacity.
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        ordering = ["day", "starts", "business_type"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
        ]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")

    def __str__(self):
        return f"{self.business_type} {self.day} {self.starts:%H:%M}-{self.ends:%H:%M}"

    @property
    def free(self):
        return self.capacity - self.booked


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    slot = models.ForeignKey(TimeSlot, on_delete=models.PROTECT, related_name="bookings")
    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.PROTECT, related_name="bookings"
    )
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    # Told at the counter (short, typed by the window clerk) …
    code = models.CharField(_("booking code"), max_length=8, unique=True)
    # … and behind the receipt's QR link (unguessable).
    token = models.CharField(max_length=43, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Backs up the service's check when two clerks of a unit book the same case at once.
            models.UniqueConstraint(
                fields=["delegation"],
                condition=models.Q(status="booked"),
                name="one_open_booking_per_case",
            ),
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self):
        return self.code


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    DONE = "done", _("Served")
    NO_SHOW = "no_show", _("Did not come")


class Ticket(models.Model):
    """A queue number for the day at a window; a transfer moves it to another window's queue."""

    window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="tickets")
    issued_at_window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    number = models.PositiveIntegerField()
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    status = models.CharField(
        max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    version = models.PositiveIntegerField(default=0)
    checked_in_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["checked_in_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_at_window", "day", "number"], name="uniq_ticket_number"
            ),
        ]
        indexes = [models.Index(fields=["window", "day", "status"])]

    def __str__(self):
        return self.display

    @property
    def display(self):
        return f"{self.issued_at_window.letter}-{self.number:04d}"


class HallEvent(models.Model):
    """The append-only history of bookings' and tickets' moves."""

    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    comment = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class RatingLevel(models.IntegerChoices):
    """The five levels of 好差评 (GB/T 39734-2020); 1 and 2 are bad reviews."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


BAD_LEVELS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)


class Rating(models.Model):
    """One rating of a case (online) or of a window visit (on site)."""

    authority = models.ForeignKey("accounts.Authority", on_delete=models.PROTECT, related_name="+")
    delegation = models.OneToOneField(
        "visits.Delegation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating",
    )
    ticket = models.OneToOneField(
        Ticket, null=True, blank=True, on_delete=models.PROTECT, related_name="rating"
    )
    unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("overall"), choices=RatingLevel.choices)
    # The dimensions of the national practice, each on the same five levels (optional).
    guidance = models.PositiveSmallIntegerField(
        _("guides and explanations"), choices=RatingLevel.choices, null=True, blank=True
    )
    efficiency = models.PositiveSmallIntegerField(
        _("speed"), choices=RatingLevel.choices, null=True, blank=True
    )
    convenience = models.PositiveSmallIntegerField(
        _("convenience (trips, steps)"), choices=RatingLevel.choices, null=True, blank=True
    )
    attitude = models.PositiveSmallIntegerField(
        _("attitude"), choices=RatingLevel.choices, null=True, blank=True
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delegation__isnull=False) | models.Q(ticket__isnull=False),
                name="rating_has_a_subject",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} #{self.pk}"

    @property
    def is_bad(self):
        return self.level in BAD_LEVELS


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("To rectify")
    ANSWERED = "answered", _("Rectified, to follow up")
    CLOSED = "closed", _("Followed up")


class Rectification(models.Model):
    """A bad review's rectification: verified and answered by the office within the deadline,
    then followed up with the rater."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="rectification")
    authority = models.ForeignKey("accounts.Authority", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    deadline = models.DateField(_("deadline"))
    answer = models.TextField(_("rectification"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "deadline"]

    def __str__(self):
        return f"#{self.pk}"


class RectificationEvent(models.Model):
    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class TravelAdvisory(models.Model):
    """A travel advisory for a destination, entered by the office with its source and dates;
    shown on the public site and on a case whose itinerary stops in that country."""

    class Level(models.TextChoices):
        NOTICE = "notice", _("Notice")
        CAUTION = "caution", _("Take care")
        WARNING = "warning", _("Warning")

    country = CountryField(_("country or region"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.NOTICE)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    source = models.CharField(_("source"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "-valid_from"]
        indexes = [models.Index(fields=["country", "valid_from"])]
        verbose_name = _("travel advisory")
        verbose_name_plural = _("travel advisories")

    def __str__(self):
        return f"{self.country.name}: {self.title}"
