from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "waiban.changes"
    label = "changes"
    verbose_name = "Changes after approval"

    def ready(self):
        from waiban.changes import notify  # noqa: F401  (who hears of a change request's moves)
