from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.core.forms import BootstrapMixin, PlausibleDateField
from waiban.people.idnumber import IdNumberError, parse_id_number
from waiban.people.models import Person
from waiban.people.services import PERSON_FIELDS

PHONE_HELP = gettext_lazy("11-digit mainland mobile number")


def clean_phone(value: str) -> str:
    phone = "".join((value or "").split()).replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        raise forms.ValidationError(_("A mobile number has 11 digits and starts with 1."))
    return phone


class PersonForm(forms.ModelForm):
    """Person data as a clerk types it. ID number and birth date/sex must agree."""

    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=20)
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone"), max_length=20, required=False, help_text=PHONE_HELP
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"birth_date": PlausibleDateField}
        help_texts = {
            "surname_pinyin": gettext_lazy(
                "Suggested from the Chinese name; check special surname readings."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.id_warnings: list[str] = []
        if self.instance.pk and not self.is_bound:
            self.initial["id_number"] = self.instance.id_number
            self.initial["phone"] = self.instance.phone
        self.fields["surname_pinyin"].required = False

    def clean_id_number(self):
        try:
            info = parse_id_number(self.cleaned_data["id_number"])
        except IdNumberError as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.id_warnings = info.warnings
        self.id_info = info
        return info.number

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean_surname_pinyin(self):
        return (self.cleaned_data.get("surname_pinyin") or "").strip().upper()

    def clean_given_name_pinyin(self):
        return (self.cleaned_data.get("given_name_pinyin") or "").strip().upper()

    def clean(self):
        data = super().clean()
        info = getattr(self, "id_info", None)
        if info:
            if data.get("birth_date") and data["birth_date"] != info.birth_date:
                self.add_error(
                    "birth_date",
                    _("The birth date does not match the ID number (%(date)s).")
                    % {"date": info.birth_date.isoformat()},
                )
            if data.get("sex") and data["sex"] != info.sex:
                self.add_error("sex", _("The sex does not match the ID number."))
        if data.get("name_zh") and not data.get("surname_pinyin"):
            from waiban.people.pinyin import suggest_pinyin

            data["surname_pinyin"], suggested_given = suggest_pinyin(data["name_zh"])
            data["given_name_pinyin"] = data.get("given_name_pinyin") or suggested_given
        return data


class PersonEditForm(BootstrapMixin, PersonForm):
    """PersonForm as the clerk sees it in the browser: Bootstrap classes, pinyin hook."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the script fills the pinyin fields from the Chinese name (people/person_form.js)
        self.fields["name_zh"].widget.attrs["data-pinyin-source"] = "1"
        self.fields["surname_pinyin"].widget.attrs["data-pinyin"] = "surname"
        self.fields["given_name_pinyin"].widget.attrs["data-pinyin"] = "given"
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})


class IdLookupForm(BootstrapMixin, forms.Form):
    """Exact look-up by ID number. Sent by POST so the number never appears in a URL."""

    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ImportUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        help_text=gettext_lazy(
            "Fill in the template downloaded from this page, then upload it here."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
