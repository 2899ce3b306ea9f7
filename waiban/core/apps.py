from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waiban.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from waiban.core import checks  # noqa: F401  (registers system checks)
