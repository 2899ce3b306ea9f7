"""The log-in: a throttle per account (django-axes locks a user name after repeated failures)
and per client address (a counter in the cache), every attempt in the audit trail.

An office behind one NAT address has many users: the address limit is higher than the
account limit, so one person's typos never lock out colleagues.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.shortcuts import render
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.core.audit import audit_record
from waiban.core.forms import BootstrapMixin
from waiban.core.ratelimit import address_count, address_count_add


def _address_failures(request) -> int:
    return address_count(request, scope="login-failed", window=settings.LOGIN_ADDRESS_WINDOW)


class LoginForm(BootstrapMixin, AuthenticationForm):
    def clean(self):
        if self.request is not None and _address_failures(self.request) >= (
            settings.LOGIN_ADDRESS_FAILURE_LIMIT
        ):
            raise forms.ValidationError(address_locked_message(), code="address_locked")
        # Django sets the user name's max_length after the field's validators are built: a user
        # name longer than any account's is a failed log-in here, before the throttle writes it
        # to a column of 255 characters.
        username = self.cleaned_data.get("username") or ""
        if len(username) > User._meta.get_field("username").max_length:
            raise self.get_invalid_login_error()
        return super().clean()


def address_locked_message() -> str:
    return _(
        "Too many failed log-ins from your address. Wait %(minutes)d minutes and try again."
    ) % {"minutes": settings.LOGIN_ADDRESS_WINDOW // 60}


def account_locked_message() -> str:
    return _(
        "This account is locked for %(minutes)d minutes after %(count)d wrong passwords. "
        "Wait, or ask the security administrator to unlock it."
    ) % {
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "count": settings.AXES_FAILURE_LIMIT,
    }


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer once a user name is locked: the log-in page, saying so plainly."""
    return render(
        request,
        "accounts/login.html",
        {"form": LoginForm(request), "locked_message": account_locked_message(), "next": ""},
        status=429,
    )


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    """A failed log-in is recorded against the account it named, if one exists; a user name
    that matches no account is not written down (it may be a password typed in the wrong box)."""
    if request is not None:
        address_count_add(request, scope="login-failed", window=settings.LOGIN_ADDRESS_WINDOW)
    username = (credentials or {}).get("username") or ""
    user = get_user_model().objects.filter(username=username).first() if username else None
    locked = bool(getattr(request, "axes_locked_out", False))
    audit_record(
        actor=None,
        action="auth.login_locked" if locked else "auth.login_failed",
        obj=user,
        object_type="accounts.user",
    )
