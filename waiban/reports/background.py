"""After the trip, at night: the data cage scans the year's trips that came back."""

from waiban.outbox.registry import periodic_job
from waiban.reports import reminders  # noqa: F401  (the report-due reminder registers itself)
from waiban.reports.cage import anomalies_scan

periodic_job("reports.anomalies_scan", daily_at="01:30")(anomalies_scan)
