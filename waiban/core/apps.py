from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waiban.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # System checks; the cached holiday table forgets on every change of a holiday row.
        from waiban.core import calendar, checks  # noqa: F401
