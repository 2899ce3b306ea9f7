from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_production_secrets(app_configs, **kwargs):
    errors = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        errors.append(Error("DJANGO_SECRET_KEY is the development key", id="waiban.E001"))
    if not settings.FIELD_ENCRYPTION_KEYS or not settings.BLIND_INDEX_KEY:
        errors.append(
            Error(
                "WAIBAN_FIELD_KEYS and WAIBAN_BLIND_INDEX_KEY must be set in production",
                id="waiban.E002",
            )
        )
    if not settings.AUDIT_CHAIN_KEY:
        errors.append(
            Error(
                "WAIBAN_AUDIT_KEY must be set in production: the audit chain's key must not "
                "change with the secret key",
                id="waiban.E003",
            )
        )
    return errors
