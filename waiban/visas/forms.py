from django import forms
from django.utils.translation import gettext_lazy as _

from waiban.core.forms import BootstrapMixin
from waiban.visas.states import Entries, Result

DATE = {"type": "date"}


class SendForm(BootstrapMixin, forms.Form):
    courier = forms.CharField(label=_("courier (who takes the passports)"), max_length=100)
    sent_on = forms.DateField(label=_("sent on"), widget=forms.DateInput(attrs=DATE))
    expected_back = forms.DateField(
        label=_("expected back"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Empty: the embassy's lead time after the day sent."),
    )


class ResultForm(BootstrapMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("result"), choices=[c for c in Result.choices if c[0] != Result.PENDING]
    )
    visa_number = forms.CharField(label=_("visa number"), max_length=30, required=False)
    valid_from = forms.DateField(
        label=_("valid from"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    valid_until = forms.DateField(
        label=_("valid until"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    entries = forms.ChoiceField(
        label=_("entries"), choices=[("", "—"), *Entries.choices], required=False
    )
    stay_days = forms.IntegerField(
        label=_("stay (days)"), min_value=1, max_value=999, required=False
    )
    decided_on = forms.DateField(
        label=_("decided on"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    comment = forms.CharField(label=_("comment"), max_length=500, required=False)


class ReceiveForm(BootstrapMixin, forms.Form):
    back_on = forms.DateField(label=_("back on"), widget=forms.DateInput(attrs=DATE))


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)
