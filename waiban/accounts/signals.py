"""Log-ins and log-outs belong in the audit trail too (留痕). Failed log-ins name no user."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from waiban.core.audit import audit_record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)
