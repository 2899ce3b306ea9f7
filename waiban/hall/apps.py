from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "waiban.hall"
    label = "hall"
    verbose_name = "Public service hall"

    def ready(self):
        from waiban.hall import notify  # noqa: F401  (who hears of a booking's and a ticket's moves)
