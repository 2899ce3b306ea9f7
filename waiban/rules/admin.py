"""Rule versions in the admin site: the system administrator adds versions, never edits one."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from waiban.core.admin_audit import ReadOnlyAdminMixin
from waiban.core.errors import ServiceError
from waiban.rules.engine import REGISTRY
from waiban.rules.models import Finding, RuleVersion
from waiban.rules.services import rule_version_create


class RuleVersionForm(forms.ModelForm):
    class Meta:
        model = RuleVersion
        fields = ["rule", "authority", "severity", "params", "source", "effective_from", "note"]

    def clean(self):
        data = super().clean()
        rule = REGISTRY.get(data.get("rule"))
        if rule and "params" in data:
            problem = rule.params_problem(data["params"])
            if problem:
                self.add_error("params", problem)
        return data


@admin.register(RuleVersion)
class RuleVersionAdmin(admin.ModelAdmin):
    form = RuleVersionForm
    list_display = [
        "rule",
        "authority",
        "severity",
        "effective_from",
        "source",
        "created_by",
        "created_at",
    ]
    list_filter = ["rule", "severity", "authority"]
    search_fields = ["rule", "source", "note"]
    list_select_related = ["authority", "created_by"]
    readonly_fields = ["created_by", "created_at"]

    def get_changeform_initial_data(self, request):
        """Start from the rule's defaults: ``?rule=stay-days`` fills severity, parameters, source."""
        initial = super().get_changeform_initial_data(request)
        rule = REGISTRY.get(initial.get("rule", ""))
        if rule is not None:
            initial.setdefault("severity", rule.severity)
            initial.setdefault("params", json.dumps(rule.params, ensure_ascii=False))
            initial.setdefault("source", rule.source)
        return initial

    def has_change_permission(self, request, obj=None):
        return False  # a change is a new version

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The same service as everywhere else: checked and audited in one transaction.
        try:
            saved = rule_version_create(
                actor=request.user,
                rule=obj.rule,
                severity=obj.severity,
                params=obj.params,
                source=obj.source,
                effective_from=obj.effective_from,
                authority=obj.authority,
                note=obj.note,
            )
        except ServiceError as error:
            raise ValidationError(error.message) from error
        obj.pk = saved.pk
        obj._state.adding = False
        messages.info(
            request, gettext_lazy("Cases already submitted keep the version they were judged by.")
        )


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["delegation", "round", "rule", "severity", "rule_version", "created_at"]
    list_filter = ["rule", "severity"]
    search_fields = ["delegation__case_number", "message", "justification"]
    list_select_related = ["delegation", "rule_version"]
