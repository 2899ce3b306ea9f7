from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "waiban.accounts"
    label = "accounts"
    verbose_name = "Accounts"
