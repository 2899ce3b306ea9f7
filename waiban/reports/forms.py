"""Forms after the trip. Errors go beside the field, in a clerk's words."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from waiban.core.forms import BootstrapMixin
from waiban.visits.forms import DATE_WIDGET, BaseStopFormSet, StopForm
from waiban.visits.models import TaskType


class ActualStopForm(StopForm):
    """A stop as travelled: the application's stop without its business days."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["business_days"]


ActualStopFormSet = formset_factory(
    ActualStopForm, formset=BaseStopFormSet, extra=0, max_num=20, validate_max=True
)


class ReportForm(BootstrapMixin, forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose of the trip"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    counterparts = forms.CharField(
        label=_("Counterparts met"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Organisations and people met, with their posts."),
    )
    results = forms.CharField(
        label=_("Results"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )
    follow_up = forms.CharField(
        label=_("Follow-up"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    actual_cost = forms.DecimalField(
        label=_("Actual cost (CNY)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    cost_note = forms.CharField(
        label=_("Costs against the budget"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
        help_text=_("Explain any difference from the approved budget."),
    )
    internal_requested = forms.BooleanField(
        label=_("Ask the office to keep this report internal (not in the shared library)"),
        required=False,
    )
    internal_reason = forms.CharField(label=_("Why internal"), max_length=300, required=False)

    def __init__(self, *args, stops=(), **kwargs):
        """``stops``: (country code, city) of each stop, one activities field each."""
        super().__init__(*args, **kwargs)
        self.stops = list(stops)
        for number, (_country, city) in enumerate(self.stops):
            self.fields[f"activity_{number}"] = forms.CharField(
                label=_("Activities in %(city)s") % {"city": city},
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                max_length=10000,
                required=False,
            )

    @property
    def activity_fields(self):
        return [self[f"activity_{n}"] for n in range(len(self.stops))]

    def clean(self):
        data = super().clean()
        if data.get("internal_requested") and not data.get("internal_reason"):
            self.add_error("internal_reason", _("Say why the report should stay internal."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["activities"] = [
            {"country": country, "city": city, "text": data.pop(f"activity_{n}", "")}
            for n, (country, city) in enumerate(self.stops)
        ]
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, JPG or PNG)"))


class MoveForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("What the unit must fix"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        required=False,
        max_length=5000,
    )
    publish = forms.BooleanField(label=_("Publish in the shared library"), required=False)


class BorderDatesForm(BootstrapMixin, forms.Form):
    exit_date = forms.DateField(label=_("Exit stamp"), widget=DATE_WIDGET)
    entry_date = forms.DateField(label=_("Entry stamp"), widget=DATE_WIDGET)


class LibraryForm(forms.Form):
    """The library's query and facets; anything unreadable is ignored, never an error page."""

    q = forms.CharField(required=False, max_length=100)
    country = forms.CharField(required=False, max_length=2)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    unit = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    task_type = forms.ChoiceField(required=False, choices=[("", ""), *TaskType.choices])
    page = forms.IntegerField(required=False, min_value=1, max_value=10000)

    def filters(self) -> dict:
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items()}
        return {
            "query": data.get("q") or "",
            "country": (data.get("country") or "").upper(),
            "year": data.get("year"),
            "unit": data.get("unit"),
            "task_type": data.get("task_type") or "",
            "page": data.get("page") or 1,
        }


class DisclosureForm(BootstrapMixin, forms.Form):
    posted_on = forms.DateField(label=_("Posted on"), widget=DATE_WIDGET)
    place = forms.CharField(
        label=_("Where it was posted"),
        max_length=200,
        help_text=_("The notice board, the intranet page…"),
    )
