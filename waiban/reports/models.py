"""After the trip: the itinerary as travelled, and the trip report with its history, files and
countries (the library's facet)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from waiban.core.models import AppendOnlyModel
from waiban.reports.states import EVENT_LABELS, ReportState


class ActualStop(models.Model):
    """One stop as travelled, entered by the unit's clerk once the delegation is back."""

    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.CASCADE, related_name="actual_stops"
    )
    position = models.PositiveSmallIntegerField(default=0)
    country = CountryField(_("country or region"))
    city = models.CharField(_("city"), max_length=100)
    arrival_date = models.DateField(_("arrival"))
    departure_date = models.DateField(_("departure"))
    is_transit = models.BooleanField(_("transit"), default=False)
    is_airside = models.BooleanField(_("airside transit only"), default=False)

    class Meta:
        ordering = ["position", "id"]


class BorderDates(models.Model):
    """The dates of the exit and entry stamps, as the passport officer read them at check-in
    (optional: they confirm, or contradict, what the unit entered)."""

    delegation = models.OneToOneField(
        "visits.Delegation", on_delete=models.CASCADE, related_name="border_dates"
    )
    exit_date = models.DateField(_("exit stamp"))
    entry_date = models.DateField(_("entry stamp"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)


class TripReport(models.Model):
    """The report of one trip, by the office's template: one per case."""

    delegation = models.OneToOneField(
        "visits.Delegation", on_delete=models.PROTECT, related_name="trip_report"
    )
    # Copied from the case for the library's filters and scope (a case's unit never changes).
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey("accounts.Authority", on_delete=models.PROTECT, related_name="+")
    task_type = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField(_("year of return"))
    state = models.CharField(
        _("state"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    due_date = models.DateField(_("due"))

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose of the trip"))
    activities = models.JSONField(
        _("activities per stop"), default=list, help_text="[{country, city, text}]"
    )
    counterparts = models.TextField(_("counterparts met"))
    results = models.TextField(_("results"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    actual_cost = models.DecimalField(
        _("actual cost (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cost_note = models.TextField(_("costs against the budget"), blank=True)

    # The unit may ask to keep its report inside the office; the office decides on acceptance.
    internal_requested = models.BooleanField(_("the unit asks to keep it internal"), default=False)
    internal_reason = models.CharField(_("why internal"), max_length=300, blank=True)
    published = models.BooleanField(_("in the shared library"), default=False)

    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    send_back_reason = models.TextField(blank=True)
    # NFKC, simplified, lower-case text of title, sections, countries, counterparts and unit:
    # what the library searches (a trigram index on PostgreSQL, an FTS5 table on SQLite).
    search_text = models.TextField(editable=False, default="")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["published", "year"], name="report_library_year"),
            models.Index(fields=["unit", "state"], name="report_unit_state"),
        ]

    def __str__(self):
        return self.title


class ReportCountry(models.Model):
    """A country of the trip as travelled: the library's country facet."""

    report = models.ForeignKey(TripReport, on_delete=models.CASCADE, related_name="countries")
    country = CountryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "country"], name="report_country_once")
        ]
        indexes = [models.Index(fields=["country", "report"], name="report_country_facet")]


class ReportEvent(AppendOnlyModel):
    report = models.ForeignKey(TripReport, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=12, choices=ReportState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=ReportState.choices, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def label(self):
        return EVENT_LABELS.get(self.action, self.action)


class ReportAttachment(models.Model):
    report = models.ForeignKey(TripReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="reports/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


class Disclosure(models.Model):
    """Where and when the unit posted the public notice of a trip (公示): before it, and after
    it with its report (the ``disclosure`` rule). The notice's text is generated from the case
    with fixed fields; only the posting is recorded."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Notice before the trip")
        AFTER = "after", _("Notice after the trip")

    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.CASCADE, related_name="disclosures"
    )
    kind = models.CharField(_("notice"), max_length=8, choices=Kind.choices)
    posted_on = models.DateField(_("posted on"))
    place = models.CharField(_("where it was posted"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["delegation", "kind"], name="disclosure_once_per_kind")
        ]


class AnomalyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    EXPLAINED = "explained", _("Explained")
    REFERRED = "referred", _("Referred")


class Anomaly(models.Model):
    """A finding of the data cage (数据铁笼) on a trip, for the supervisor only: which rule,
    the evidence, and what the supervisor made of it. The unit never sees these."""

    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.PROTECT, related_name="anomalies"
    )
    authority = models.ForeignKey("accounts.Authority", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("rule"), max_length=32)
    severity = models.CharField(_("severity"), max_length=8)
    # The figures and rows behind the finding; its message is written from them for each
    # reader's language (waiban.reports.cage.anomaly_message).
    evidence = models.JSONField(_("evidence"), default=dict)
    rule_params = models.JSONField(default=dict)
    rule_source = models.CharField(max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=AnomalyStatus.choices, default=AnomalyStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "rule"], name="anomaly_once_per_rule")
        ]
        indexes = [models.Index(fields=["authority", "status"], name="anomaly_queue")]


class AnomalyEvent(AppendOnlyModel):
    anomaly = models.ForeignKey(Anomaly, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
