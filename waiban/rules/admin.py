"""Rule versions in the admin site: the system administrator adds versions, never edits one."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from waiban.core.admin_audit import ReadOnlyAdminMixin
from waiban.core.errors import ServiceError
from waiban.rules.engine import REGISTRY
from waiban.rules.models import Finding, RuleVersion
from waiban.rules.services import rule_version_create


class TypedText(str):
    """What the administrator typed, shown back exactly as typed."""


class ParamsField(forms.JSONField):
    """The parameters as JSON, pretty-printed: the form shows them in the format it reads back,
    and what was typed stays as typed when the form is rejected."""

    default_error_messages = {
        "invalid": gettext_lazy(
            "This is not valid JSON (line %(line)d, column %(column)d): check the quotes, commas "
            "and brackets there. Text goes in double quotes."
        ),
        "too_deep": gettext_lazy("These brackets are nested too deeply to be parameters."),
    }

    def __init__(self, **kwargs):
        kwargs["widget"] = forms.Textarea(
            attrs={"rows": 16, "cols": 80, "spellcheck": "false", "style": "font-family: monospace"}
        )
        kwargs["required"] = False  # {} is a rule without parameters, not a missing value
        super().__init__(**kwargs)

    def to_python(self, value):
        if self.disabled or not isinstance(value, str):
            return value
        if not value.strip():
            return {}
        try:
            return json.loads(value)
        except json.JSONDecodeError as where:
            raise ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"line": where.lineno, "column": where.colno},
            ) from where
        except RecursionError as error:  # brackets nested thousands deep
            raise ValidationError(self.error_messages["too_deep"], code="invalid") from error

    def bound_data(self, data, initial):
        if self.disabled:
            return initial
        return None if data is None else TypedText(data)

    def prepare_value(self, value):
        if isinstance(value, TypedText | forms.fields.InvalidJSONInput):
            return value
        if isinstance(value, str):  # given as JSON text, e.g. ?params= in the add link
            try:
                value = json.loads(value)
            except ValueError:
                return value
        return json.dumps(value, indent=2, ensure_ascii=False, cls=self.encoder)


class RuleVersionForm(forms.ModelForm):
    class Meta:
        model = RuleVersion
        fields = ["rule", "authority", "severity", "params", "source", "effective_from", "note"]
        field_classes = {"params": ParamsField}
        help_texts = {
            "params": gettext_lazy(
                "JSON, as it is saved. Keep the keys of the rule's defaults and the kind of each "
                "value: numbers, text in double quotes, lists in [ ], true or false."
            ),
        }

    def clean(self):
        data = super().clean()
        rule = REGISTRY.get(data.get("rule"))
        if rule and "params" in data:
            problem = rule.params_problem(data["params"])
            if problem:
                self.add_error("params", problem)
        return data


def _version(pk: str) -> RuleVersion | None:
    """The version named in the add link, if the text is one of its ids (else none at all)."""
    if not (isinstance(pk, str) and pk.isdigit() and len(pk) < 19):  # within a bigint
        return None
    return RuleVersion.objects.filter(pk=int(pk)).first()


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
    readonly_fields = ["created_by", "created_at", "parameters", "new_version"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*RuleVersionForm.Meta.fields]
        # a saved version is read, never edited: its parameters laid out, a link to change them
        return [
            "rule",
            "authority",
            "severity",
            "parameters",
            "source",
            "effective_from",
            "note",
            "created_by",
            "created_at",
            "new_version",
        ]

    @admin.display(description=gettext_lazy("parameters"))
    def parameters(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.params, indent=2, ensure_ascii=False))

    @admin.display(description=gettext_lazy("Change"))
    def new_version(self, obj):
        url = reverse("admin:rules_ruleversion_add") + f"?from={obj.pk}"
        return format_html(
            '<a href="{}" data-new-version>{}</a>',
            url,
            gettext_lazy("Start a new version from this one"),
        )

    def get_changeform_initial_data(self, request):
        """Start from the rule's defaults (``?rule=stay-days``), or from an existing version
        (``?from=12``: how a version is changed): severity, parameters, source."""
        initial = super().get_changeform_initial_data(request)
        base = _version(initial.pop("from", ""))
        if base is not None:
            initial.update(
                rule=base.rule,
                authority=base.authority_id,
                severity=base.severity,
                params=base.params,
                source=base.source,
            )
        rule = REGISTRY.get(initial.get("rule", ""))
        if rule is not None:
            initial.setdefault("severity", rule.severity)
            initial.setdefault("params", rule.params)
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
