"""The office's notice routes (which channels each audience of a move gets) are configuration:
the system administrator edits them, audited. Deliveries are read-only."""

from django import forms
from django.contrib import admin

from waiban.core.admin_audit import AuditedAdminMixin, ReadOnlyAdminMixin
from waiban.notices.models import NoticeDelivery, NoticeRoute
from waiban.notices.registry import WORKFLOWS


def _move_choices():
    return [
        (f"{name}:{action}", f"{name} · {transition.label}")
        for name, flow in sorted(WORKFLOWS.items())
        for action, transition in flow.table.items()
    ]


def _audience_choices():
    names = sorted({a for flow in WORKFLOWS.values() for a in flow.audiences})
    return [(name, name) for name in names]


class NoticeRouteForm(forms.ModelForm):
    move = forms.ChoiceField(label=NoticeRoute._meta.get_field("action").verbose_name)

    class Meta:
        model = NoticeRoute
        fields = ["audience", "inbox", "email", "sms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move"].choices = _move_choices()
        self.fields["audience"] = forms.ChoiceField(
            label=NoticeRoute._meta.get_field("audience").verbose_name,
            choices=_audience_choices(),
        )
        if self.instance.pk:
            self.initial["move"] = f"{self.instance.workflow}:{self.instance.action}"

    def clean(self):
        data = super().clean()
        workflow, _sep, action = (data.get("move") or "").partition(":")
        self.instance.workflow, self.instance.action = workflow, action
        return data


@admin.register(NoticeRoute)
class NoticeRouteAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = NoticeRouteForm
    list_display = ["workflow", "action", "audience", "inbox", "email", "sms"]
    list_filter = ["workflow", "audience"]
    fields = ["move", "audience", "inbox", "email", "sms"]


@admin.register(NoticeDelivery)
class NoticeDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "channel", "recipient", "outcome", "key"]
    list_filter = ["channel", "outcome"]
    show_full_result_count = False
    fields = list_display
    readonly_fields = fields
