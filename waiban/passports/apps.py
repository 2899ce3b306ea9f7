from django.apps import AppConfig


class PassportsConfig(AppConfig):
    name = "waiban.passports"
    label = "passports"
    verbose_name = "Passports"

    def ready(self):
        from waiban.passports import (
            notify,  # noqa: F401  (who hears of a passport's moves)
            timeline,  # noqa: F401  (its steps in a case's timeline)
        )
