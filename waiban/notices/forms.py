import re

from django import forms
from django.utils.translation import gettext_lazy as _

from waiban.core.forms import BootstrapMixin
from waiban.notices.models import NoticePreference

MOBILE = re.compile(r"^1[3-9]\d{9}$")


class PreferenceForm(BootstrapMixin, forms.ModelForm):
    email = forms.EmailField(label=_("E-mail address"), required=False)
    # The number is never shown back in full: left empty, the one on file stays.
    new_mobile = forms.CharField(
        label=_("Mobile phone for SMS"),
        required=False,
        max_length=20,
        help_text=_("11 digits. Leave empty to keep the number on file."),
    )
    forget_mobile = forms.BooleanField(label=_("Remove the number on file"), required=False)

    class Meta:
        model = NoticePreference
        fields = ["email_on", "sms_on", "quiet_from", "quiet_until"]
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean_new_mobile(self):
        number = re.sub(r"[\s-]", "", self.cleaned_data["new_mobile"])
        if number and not MOBILE.match(number):
            raise forms.ValidationError(_("Enter an 11-digit mainland mobile number."))
        return number
