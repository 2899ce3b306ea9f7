from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "waiban.plans"
    label = "plans"
    verbose_name = "Annual plans"
