from django.apps import AppConfig


class DemoConfig(AppConfig):
    # An app only so that Django finds its management command, seed_demo; it has no models.
    name = "waiban.demo"
    label = "demo"
    verbose_name = "Demo data"
