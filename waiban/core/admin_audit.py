"""Admin edits leave the same trace as any other write (留痕): old and new values, who, from where.

The admin wraps each change form and delete in a transaction, so the audit row written here
commits or rolls back with the change itself. Personal data is recorded as changed, never as
values; blind-index hashes are left out for the same reason.
"""

from django.contrib import admin

from waiban.core.admin_widgets import TolerantAutocompleteMixin
from waiban.core.audit import audit_record
from waiban.core.crypto import EncryptedTextField

REDACTED = "[redacted]"


def _hidden(field) -> bool:
    return (
        isinstance(field, EncryptedTextField)
        or field.name == "password"
        or field.name.endswith("_hash")
    )


def _values(obj) -> dict:
    """Concrete field values by attribute name (foreign keys as ids), as stored.

    ``get_prep_value`` turns countries, files and the like into plain values the audit's JSON
    can hold; encrypted fields keep their plain value here, for comparison only.
    """
    values = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        values[field.attname] = value if _hidden(field) else field.get_prep_value(value)
    return values


def _stored(obj) -> dict:
    stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
    return _values(stored) if stored is not None else {}


def snapshot(obj) -> dict:
    """Every value of ``obj``, secrets masked: what a deleted row looked like."""
    hidden = {f.attname for f in obj._meta.concrete_fields if _hidden(f)}
    return {
        key: REDACTED if key in hidden and value else value for key, value in _values(obj).items()
    }


def diff(old_raw: dict, new_raw: dict, obj) -> tuple[dict, dict]:
    """Only the fields that changed; secrets appear as "[redacted]" on both sides."""
    hidden = {f.attname for f in obj._meta.concrete_fields if _hidden(f)}
    old, new = {}, {}
    for key, value in new_raw.items():
        if key in old_raw and old_raw[key] == value:
            continue
        old[key] = REDACTED if key in hidden and old_raw.get(key) else old_raw.get(key)
        new[key] = REDACTED if key in hidden and value else value
    return old, new


def _action(obj, verb: str) -> str:
    return f"admin.{obj._meta.label_lower}.{verb}"


def _audit_saved(request, obj, *, existed: bool, before: dict):
    """The audit event of an admin save: what changed against ``before`` (read before saving)."""
    old, new = diff(before, _values(obj), obj)
    if existed and not new:
        return  # saved without a change: nothing to record
    audit_record(
        actor=request.user,
        action=_action(obj, "update" if existed else "create"),
        obj=obj,
        old=old,
        new=new,
    )


def _audit_deleted(request, obj):
    audit_record(actor=request.user, action=_action(obj, "delete"), obj=obj, old=snapshot(obj))


class AuditedAdminMixin:
    """Put first in the bases of a ModelAdmin: every save and delete is audited."""

    def save_model(self, request, obj, form, change):
        before = _stored(obj) if change else {}
        super().save_model(request, obj, form, change)
        _audit_saved(request, obj, existed=change, before=before)

    def delete_model(self, request, obj):
        _audit_deleted(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _audit_deleted(request, obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        """Inline rows: each created, changed or deleted row gets its own audit event."""
        pending = []
        for inline_form in formset.forms:
            obj = inline_form.instance
            if formset.can_delete and formset._should_delete_form(inline_form):
                if obj.pk is not None:
                    _audit_deleted(request, obj)
            elif inline_form.has_changed():
                pending.append((obj, obj.pk is not None, _stored(obj)))
        super().save_formset(request, form, formset, change)
        for obj, existed, before in pending:
            _audit_saved(request, obj, existed=existed, before=before)


class ReadOnlyAdminMixin:
    """History and audit rows are append-only: the admin may look, never touch."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedModelAdmin(AuditedAdminMixin, TolerantAutocompleteMixin, admin.ModelAdmin):
    pass
