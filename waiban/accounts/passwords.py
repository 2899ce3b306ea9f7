"""The office's password rules and the password change every user can make."""

from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waiban.core.audit import audit_record
from waiban.core.forms import BootstrapMixin


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case letters, capitals, digits, other characters
    (the usual rule of the level-3 assessment: three of four kinds)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def _classes(self, password: str) -> int:
        kinds = (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
        return sum(any(kind(c) for c in password) for kind in kinds)

    def validate(self, password, user=None):
        if self._classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return ngettext(
            "Use at least %(n)d kind of characters: lower-case letters, capitals, digits, symbols.",
            "Use at least %(n)d of these kinds of characters: lower-case letters, capitals, "
            "digits, symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any logged-in user changes their own password; a reset one must be changed here."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm

    def get_success_url(self):
        from django.urls import reverse

        return reverse("home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user = form.user
            forced = user.must_change_password
            if forced:
                user.must_change_password = False
                user.save(update_fields=["must_change_password"])
            audit_record(
                actor=user,
                action="auth.password_change",
                obj=user,
                new={"password": "changed", "after_reset": forced},
            )
        messages.success(self.request, _("Your password is changed."))
        return response
