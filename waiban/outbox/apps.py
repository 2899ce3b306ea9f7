from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "waiban.outbox"
    label = "outbox"
    verbose_name = _("Background work")

    def ready(self):
        # Every app says what it does in the background in its own ``background.py``
        # (outbox handlers and periodic jobs); importing them here fills the registry in every
        # process — web, worker, command — before the first message is written or delivered.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("background")
