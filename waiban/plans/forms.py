from django import forms
from django.utils.translation import gettext_lazy as _

from waiban.core.forms import BootstrapMixin
from waiban.plans.models import PlanItem


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanCreateForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class PlanItemForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PlanItem
        fields = ["purpose", "countries", "people", "trips", "budget", "quarter"]
        help_texts = {
            "countries": _("Hold Ctrl (⌘ on a Mac) to choose several."),
            "budget": _("For all the trips of this item."),
        }


class OpinionForm(BootstrapMixin, VersionMixin):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))
    agrees = forms.TypedChoiceField(
        label=_("Conclusion"),
        choices=[("1", _("Agree")), ("0", _("Disagree"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class ApproveForm(BootstrapMixin, VersionMixin):
    trips = forms.IntegerField(label=_("Approved trips"), min_value=1)
    people = forms.IntegerField(label=_("Approved people (person-trips)"), min_value=1)
    budget = forms.DecimalField(
        label=_("Approved budget (CNY)"), min_value=0, max_digits=14, decimal_places=2
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(BootstrapMixin, VersionMixin):
    reason = forms.CharField(
        label=_("Reasons for return"), widget=forms.Textarea(attrs={"rows": 3})
    )


class LinkForm(BootstrapMixin, forms.Form):
    IN_PLAN, SWAP, NONE = "item", "swap", "none"
    mode = forms.ChoiceField(
        label=_("This trip is"),
        choices=[
            (IN_PLAN, _("an item of the approved plan")),
            (SWAP, _("out of plan, in place of a planned trip (swap)")),
            (NONE, _("not linked yet")),
        ],
        widget=forms.RadioSelect,
    )
    plan_item = forms.ModelChoiceField(
        label=_("Plan item"), queryset=PlanItem.objects.none(), required=False
    )
    swapped_out_item = forms.ModelChoiceField(
        label=_("Plan item given up"), queryset=PlanItem.objects.none(), required=False
    )
    swap_justification = forms.CharField(
        label=_("Justification of the swap"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = items
        self.fields["swapped_out_item"].queryset = items

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == self.IN_PLAN and not data.get("plan_item"):
            self.add_error("plan_item", _("Choose the plan item."))
        if mode == self.SWAP and not data.get("swapped_out_item"):
            self.add_error("swapped_out_item", _("Choose the plan item given up."))
        return data

    def link_kwargs(self) -> dict:
        data = self.cleaned_data
        if data["mode"] == self.IN_PLAN:
            return {"plan_item": data["plan_item"]}
        if data["mode"] == self.SWAP:
            return {
                "swapped_out_item": data["swapped_out_item"],
                "swap_justification": data.get("swap_justification", ""),
            }
        return {}
