from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "waiban.portal"
    label = "portal"
    verbose_name = "Public portal"
