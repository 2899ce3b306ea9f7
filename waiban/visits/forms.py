"""Forms of the delegation application. Errors go beside the field, in a clerk's words."""

from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from waiban.core.forms import BootstrapMixin, PlausibleDateField
from waiban.visits.models import Attachment, BudgetLine, Delegation, DelegationMember

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DelegationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Delegation
        fields = [
            "title",
            "task_type",
            "purpose",
            "inviting_organisation",
            "inviting_organisation_kind",
            "funding_source",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inviting_organisation"].required = True


class MemberForm(BootstrapMixin, forms.Form):
    person = forms.ModelChoiceField(label=gettext_lazy("Person"), queryset=None, required=False)
    role = forms.ChoiceField(
        label=gettext_lazy("Role in the group"),
        choices=DelegationMember.Role.choices,
        initial="member",
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.name_zh} · {p.post}"


class BaseMemberFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        chosen = [f.cleaned_data for f in self.forms if f.cleaned_data.get("person")]
        people = [row["person"].pk for row in chosen]
        if len(people) != len(set(people)):
            raise forms.ValidationError(_("A person appears twice in the member list."))
        leaders = [row for row in chosen if row["role"] == "leader"]
        if len(leaders) > 1:
            raise forms.ValidationError(_("A delegation has exactly one leader."))
        if chosen and not leaders:
            raise forms.ValidationError(_("Mark one member as the leader."))

    def members(self) -> list[dict]:
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data.get("person")]
        rows.sort(key=lambda row: row["role"] != "leader")
        return [{"person": row["person"], "role": row["role"]} for row in rows]


MemberFormSet = formset_factory(MemberForm, formset=BaseMemberFormSet, extra=0, max_num=30)


class StopForm(BootstrapMixin, forms.Form):
    country = forms.ChoiceField(
        label=gettext_lazy("Country or region"),
        # Names follow the page's language; an empty first choice so no country is preselected.
        choices=lambda: [("", "---------"), *countries],
        required=False,
    )
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    arrival_date = PlausibleDateField(
        label=gettext_lazy("Arrival"), required=False, widget=DATE_WIDGET
    )
    departure_date = PlausibleDateField(
        label=gettext_lazy("Departure"), required=False, widget=DATE_WIDGET
    )
    is_transit = forms.BooleanField(label=gettext_lazy("Transit"), required=False)
    is_airside = forms.BooleanField(label=gettext_lazy("Airside only"), required=False)
    business_days = forms.IntegerField(
        label=gettext_lazy("Business days"), required=False, min_value=0, max_value=366
    )

    def clean(self):
        data = super().clean()
        filled = [data.get(k) for k in ("country", "city", "arrival_date", "departure_date")]
        if not any(filled):
            return data
        for key in ("country", "city", "arrival_date", "departure_date"):
            if not data.get(key) and key not in self.errors:
                self.add_error(key, _("Required for each stop."))
        arrive, leave = data.get("arrival_date"), data.get("departure_date")
        if arrive and leave and leave < arrive:
            self.add_error("departure_date", _("The departure is before the arrival."))
        business = data.get("business_days")
        if arrive and leave and business is not None and business > (leave - arrive).days + 1:
            self.add_error(
                "business_days",
                _("More business days than the %(days)d days of this stop.")
                % {"days": (leave - arrive).days + 1},
            )
        if data.get("is_airside") and not data.get("is_transit"):
            self.add_error("is_airside", _("Only a transit stop can be airside only."))
        return data


class BaseStopFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        stops = self.stops()
        for previous, current in zip(stops, stops[1:], strict=False):
            if current["arrival_date"] < previous["departure_date"]:
                raise forms.ValidationError(
                    _(
                        "The stop in %(city)s starts before the previous stop ends: the itinerary overlaps."
                    )
                    % {"city": current["city"]}
                )
            if current["arrival_date"] > previous["departure_date"]:
                raise forms.ValidationError(
                    _("There is a gap between %(a)s and %(b)s: add the stop in between.")
                    % {"a": previous["city"], "b": current["city"]}
                )

    def stops(self) -> list[dict]:
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data.get("country")]
        return [
            {
                "country": row["country"],
                "city": row["city"],
                "arrival_date": row["arrival_date"],
                "departure_date": row["departure_date"],
                "is_transit": row.get("is_transit", False),
                "is_airside": row.get("is_airside", False),
                "business_days": row.get("business_days"),
            }
            for row in rows
        ]


StopFormSet = formset_factory(StopForm, formset=BaseStopFormSet, extra=0, max_num=20)


class BudgetForm(BootstrapMixin, forms.Form):
    """One amount per budget item; empty means none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in BudgetLine.Kind.choices:
            self.fields[kind] = forms.DecimalField(
                label=label,
                required=False,
                min_value=Decimal("0"),
                max_digits=12,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            )

    def lines(self) -> dict:
        return {kind: self.cleaned_data.get(kind) for kind, _label in BudgetLine.Kind.choices}


class AttachmentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Material"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=gettext_lazy("File (PDF, JPG or PNG)"))


class OpinionForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    opinion = forms.CharField(
        label=gettext_lazy("Opinion"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    external_document_number = forms.CharField(
        label=gettext_lazy("Higher authority's document number"), max_length=60, required=False
    )


class CorrectionItemForm(BootstrapMixin, forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("Field or material"), required=False)
    message = forms.CharField(label=gettext_lazy("What to fix"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from waiban.visits.corrections import CORRECTION_TARGETS

        self.fields["target"].choices = [("", "---------"), *CORRECTION_TARGETS]

    def clean(self):
        data = super().clean()
        if data.get("message") and not data.get("target"):
            self.add_error("target", _("Say which field or material this item is about."))
        return data


CorrectionFormSet = formset_factory(CorrectionItemForm, extra=2, max_num=30)
