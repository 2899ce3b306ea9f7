from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "waiban.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Log-ins audited; the cached authority tree forgets on every change of an authority.
        from waiban.accounts import login, scoping, second_factor, signals  # noqa: F401
