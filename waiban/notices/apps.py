from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "waiban.notices"
    label = "notices"
    verbose_name = "Notices"
