"""Change requests move only through their workflow (waiban.changes.services): the admin looks."""

from django.contrib import admin

from waiban.changes.models import ChangeApprovalStep, ChangeEvent, ChangeRequest, ContentVersion
from waiban.core.admin_audit import ReadOnlyAdminMixin


class StepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ChangeApprovalStep
    fields = ["level", "position", "is_external", "decision", "decided_by", "decided_at"]
    readonly_fields = fields
    extra = 0


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ChangeEvent
    fields = ["at", "actor", "action", "from_state", "to_state", "comment"]
    readonly_fields = fields
    extra = 0


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["delegation", "state", "is_material", "created_at", "decided_at"]
    list_filter = ["state", "is_material"]
    raw_id_fields = ["delegation"]
    inlines = [StepInline, EventInline]


@admin.register(ContentVersion)
class ContentVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["delegation", "number", "change", "created_at"]
    raw_id_fields = ["delegation"]
