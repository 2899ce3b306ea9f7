from django.apps import AppConfig


class VisasConfig(AppConfig):
    name = "waiban.visas"
    label = "visas"
    verbose_name = "Visas"

    def ready(self):
        from waiban.visas import alerts, background, notify  # noqa: F401  (outbox, notices)
