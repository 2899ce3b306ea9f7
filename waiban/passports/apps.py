from django.apps import AppConfig


class PassportsConfig(AppConfig):
    name = "waiban.passports"
    label = "passports"
    verbose_name = "Passports"
