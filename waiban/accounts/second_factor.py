"""The second factor (django-otp): a TOTP app, with single-use recovery codes.

Required for the roles in OTP_REQUIRED_ROLES (the three administrators by default): they are
sent to enrol before anything else. Office staff may enrol on the same page; once a user has a
confirmed device, every log-in asks for a code. The devices throttle wrong codes themselves
(the wait doubles after each failure); every enrolment and every failure is audited.
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from waiban.accounts.roles import ADMIN_ROLES, OFFICE_ROLES
from waiban.core.audit import audit_record
from waiban.core.forms import BootstrapMixin

RECOVERY_CODES = 10
MAY_ENROL = ADMIN_ROLES | OFFICE_ROLES


def second_factor_required(user) -> bool:
    return user.role in settings.OTP_REQUIRED_ROLES


# Whether the logged-in user has a confirmed device, noted in the session at log-in so that
# pages of users without one pay no query for it.
HAS_DEVICE = "waiban_has_device"


def has_device(request) -> bool:
    value = request.session.get(HAS_DEVICE)
    if value is None:
        value = request.session[HAS_DEVICE] = user_has_device(request.user)
    return value


def second_factor_missing(request) -> bool:
    """Whether the user must give a code (has_device) or enrol before anything else."""
    user = request.user
    if not second_factor_required(user) and not has_device(request):
        return False
    return not user.is_verified()


@receiver(user_logged_in)
def note_device_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE] = user_has_device(user)


class CodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The 6 digits your authenticator app shows, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def _typed_key(device) -> str:
    """The key as authenticator apps take it when typed: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def otp_enrol(request):
    user = request.user
    if user.role not in MAY_ENROL:
        return redirect("home")
    if user_has_device(user):
        messages.info(request, _("You already use an authenticator app."))
        return redirect("home")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    codes = None
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _recovery_codes(user)
                audit_record(actor=user, action="auth.otp_enrol", obj=user)
            otp_login(request, device)
            request.session[HAS_DEVICE] = True
        else:
            form.add_error("code", _("This code is not right. Type the code the app shows now."))
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "codes": codes,
            "qr_svg": None if codes else segno.make(device.config_url).svg_inline(scale=4),
            "secret": "" if codes else _typed_key(device),
            "required": second_factor_required(user),
        },
    )


@login_required
def otp_verify(request):
    user = request.user
    if user.is_verified():
        return redirect("home")
    if not user_has_device(user):
        return redirect("otp_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().replace(" ", "")
        # Recovery codes are lower case; a TOTP code is digits either way.
        device = next((d for d in devices_for_user(user) if d.verify_token(code.lower())), None)
        if device is not None:
            otp_login(request, device)
            audit_record(
                actor=user,
                action="auth.otp_recovery_code" if isinstance(device, StaticDevice) else "auth.otp",
                obj=user,
            )
            return redirect(request.GET.get("next") or "home")
        audit_record(actor=user, action="auth.otp_failed", obj=user)
        form.add_error(
            "code",
            _("This code is not right. Wait a moment and type the code the app shows now."),
        )
    return render(request, "accounts/otp_verify.html", {"form": form})
