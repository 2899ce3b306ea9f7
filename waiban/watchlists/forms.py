from django import forms
from django.utils.translation import gettext_lazy

from waiban.core.forms import BootstrapMixin
from waiban.watchlists.models import ListKind, ScreeningHit


class ListImportForm(BootstrapMixin, forms.Form):
    control_list = forms.ChoiceField(
        label=gettext_lazy("List"),
        help_text=gettext_lazy("The file becomes the next version of this list."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of the new list"),
        choices=[("", "—"), *ListKind.choices],
        required=False,
    )
    name = forms.CharField(
        label=gettext_lazy("Name of the new list"), max_length=100, required=False
    )
    default_source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Where the list comes from; used for rows without a source."),
    )
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, lists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lists = {str(cl.pk): cl for cl in lists}
        self.fields["control_list"].choices = [
            ("new", gettext_lazy("A new list")),
            *((str(cl.pk), str(cl)) for cl in lists),
        ]

    def clean(self):
        data = super().clean()
        if data.get("control_list") == "new":
            if not data.get("kind"):
                self.add_error("kind", gettext_lazy("Choose the kind of the new list."))
            if not (data.get("name") or "").strip():
                self.add_error("name", gettext_lazy("Name the new list."))
        return data


class HitDecisionForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (ScreeningHit.Status.CLEARED, gettext_lazy("Clear: not the listed person")),
            (ScreeningHit.Status.CONFIRMED, gettext_lazy("Confirm: the listed person")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
