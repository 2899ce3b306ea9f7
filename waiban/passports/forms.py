from django import forms
from django.utils.translation import gettext_lazy as _

from waiban.core.forms import BootstrapMixin


class CheckInForm(BootstrapMixin, forms.Form):
    mrz = forms.CharField(
        label=_("MRZ (type or scan the two lines)"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "font-monospace", "autocomplete": "off"}),
    )
    issuing_authority = forms.CharField(label=_("issuing authority"), required=False)
    issue_date = forms.DateField(
        label=_("issue date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class LendForm(BootstrapMixin, forms.Form):
    case_number = forms.CharField(label=_("case number of the trip"))
    taken_by = forms.CharField(label=_("taken by"), max_length=100)


class CommentForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("comment"), required=False)


class PhotoForm(BootstrapMixin, forms.Form):
    photo = forms.FileField(label=_("photo (JPG or PNG, 3:4, at least 354×472 pixels)"))
