from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class RulesConfig(AppConfig):
    name = "waiban.rules"
    label = "rules"
    verbose_name = gettext_lazy("Rules")

    def ready(self):
        # Importing the checks registers them (each module adds its rules to the registry).
        from waiban.rules import checks, engine  # noqa: F401  (and the cached rule versions)
