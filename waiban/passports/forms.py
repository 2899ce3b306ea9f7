from django import forms
from django.utils.translation import gettext_lazy as _

from waiban.accounts.scoping import visible_authority_ids
from waiban.core.forms import BootstrapMixin, PlausibleDateField
from waiban.passports.models import Passport
from waiban.passports.states import Kind

MRZ_WIDGET_ATTRS = {"rows": 2, "class": "font-monospace", "autocomplete": "off"}
# The column's length: longer text is refused beside the field, not by PostgreSQL on saving.
ISSUING_AUTHORITY_MAX = Passport._meta.get_field("issuing_authority").max_length


class CheckInForm(BootstrapMixin, forms.Form):
    mrz = forms.CharField(
        label=_("MRZ (type or scan the two lines)"),
        widget=forms.Textarea(attrs=MRZ_WIDGET_ATTRS),
    )
    issuing_authority = forms.CharField(
        label=_("issuing authority"), required=False, max_length=ISSUING_AUTHORITY_MAX
    )
    issue_date = PlausibleDateField(
        label=_("issue date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReturnScanForm(BootstrapMixin, forms.Form):
    """The passport comes back: its MRZ, typed or scanned, names it and proves it is this one."""

    mrz = forms.CharField(
        label=_("MRZ (type or scan the two lines)"),
        widget=forms.Textarea(attrs=MRZ_WIDGET_ATTRS),
    )


class LendForm(BootstrapMixin, forms.Form):
    delegation = forms.ModelChoiceField(
        label=_("trip"), queryset=None, required=False, empty_label=_("— choose a trip —")
    )
    case_number = forms.CharField(
        label=_("or the case number of the trip"), required=False, max_length=30
    )
    taken_by = forms.CharField(label=_("taken by"), max_length=100)

    def __init__(self, *args, passport=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        from waiban.visits.models import Delegation
        from waiban.visits.states import AUTHORISED_STATES

        trips = Delegation.objects.none()
        if passport is not None and actor is not None:
            # The approved trips in the officer's scope that the holder travels with.
            trips = (
                Delegation.objects.filter(
                    state__in=AUTHORISED_STATES,
                    authority_id__in=visible_authority_ids(actor),
                    members__person_id=passport.person_id,
                )
                .distinct()
                .order_by("departure_date", "id")
            )
        field = self.fields["delegation"]
        field.queryset = trips
        field.label_from_instance = lambda d: " · ".join(
            str(part) for part in (d.case_number, d.title, d.departure_date) if part
        )

    def clean(self):
        data = super().clean()
        if not data.get("delegation") and not (data.get("case_number") or "").strip():
            self.add_error("delegation", _("Choose the trip or type its case number."))
        return data


class RegisterForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    person = forms.ModelChoiceField(label=_("holder"), queryset=None)
    number = forms.CharField(label=_("passport number"), max_length=20)
    issue_date = PlausibleDateField(
        label=_("issue date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expiry_date = PlausibleDateField(
        label=_("expiry date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    issuing_authority = forms.CharField(
        label=_("issuing authority"), required=False, max_length=ISSUING_AUTHORITY_MAX
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        from waiban.people.models import Person

        # Only the people of the units in the officer's authority (or those below it).
        self.fields["person"].queryset = (
            Person.objects.filter(
                unit__authority_id__in=visible_authority_ids(actor), is_active=True
            )
            .select_related("unit")
            .order_by("unit__name", "name_zh", "id")
        )
        self.fields["person"].label_from_instance = lambda p: f"{p.name_zh} · {p.unit.name}"


class CommentForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("comment"), required=False)


class PhotoForm(BootstrapMixin, forms.Form):
    photo = forms.FileField(label=_("photo (JPG or PNG, 3:4, at least 354×472 pixels)"))
