from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "waiban.visits"
    label = "visits"
    verbose_name = "Visits"

    def ready(self):
        from waiban.visits import (
            deadlines,  # noqa: F401  (the cached stage limits forget)
            notify,  # noqa: F401  (who hears of a case's moves)
        )
