from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "waiban.reports"
    label = "reports"
    verbose_name = "After the trip"

    def ready(self):
        from waiban.reports import cage, disclosure, notify, rules  # noqa: F401  (notices; rules)
