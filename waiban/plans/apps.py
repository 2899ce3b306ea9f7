from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "waiban.plans"
    label = "plans"
    verbose_name = "Annual plans"

    def ready(self):
        from waiban.plans import notify  # noqa: F401  (who hears of a plan's moves)
