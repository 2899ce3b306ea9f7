from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waiban.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from waiban.core import checks, signals  # noqa: F401  (system checks, cache signals)
