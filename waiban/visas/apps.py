from django.apps import AppConfig


class VisasConfig(AppConfig):
    name = "waiban.visas"
    label = "visas"
    verbose_name = "Visas"

    def ready(self):
        from waiban.visas import (  # noqa: F401  (outbox, notices)
            alerts,
            background,
            notify,
            timeline,  # noqa: F401  (its steps in a case's timeline)
        )
