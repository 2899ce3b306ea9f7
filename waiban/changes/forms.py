"""The change form: the application's own forms, prefilled with the content in force, each
member with the post as approved (a corrected post is an administrative change), and the
reason."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy

from waiban.core.forms import BootstrapMixin
from waiban.visits.forms import BaseMemberFormSet, MemberForm


class ChangeMemberForm(MemberForm):
    post = forms.CharField(
        label=gettext_lazy("Post (as on the documents)"), max_length=100, required=False
    )


class BaseChangeMemberFormSet(BaseMemberFormSet):
    def members(self) -> list[dict]:
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data.get("person")]
        rows.sort(key=lambda row: row["role"] != "leader")
        return [
            {"person": row["person"], "role": row["role"], "post": row.get("post", "")}
            for row in rows
        ]


ChangeMemberFormSet = formset_factory(
    ChangeMemberForm, formset=BaseChangeMemberFormSet, extra=0, max_num=30
)


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the case must change"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Say what happened (e.g. the inviting side moved the dates); it is printed on the "
            "re-issued documents."
        ),
    )
    invitation = forms.FileField(
        label=gettext_lazy("New invitation letter (PDF, JPG or PNG), if it is replaced"),
        required=False,
    )


class ChangeActionForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    opinion = forms.CharField(
        label=gettext_lazy("Opinion"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
