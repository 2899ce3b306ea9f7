from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "waiban.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from waiban.accounts import signals  # noqa: F401  (audits log-ins and log-outs)
