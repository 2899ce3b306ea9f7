from django.contrib import admin

from waiban.core.admin_audit import AuditedModelAdmin, ReadOnlyAdminMixin
from waiban.core.models import AuditEvent, HolidayDay, NumberSequence


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "seq",
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "ip",
    ]
    # A button to the chain check (waiban.core.audit_views) above the list.
    change_list_template = "core/auditevent_change_list.html"
    list_filter = ["at", "object_type"]
    search_fields = ["action", "object_type", "object_id", "object_repr", "actor__username"]
    list_select_related = ["actor"]
    # The trail grows without end: no COUNT(*) of the whole table on every page.
    show_full_result_count = False
    fields = [
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "old_values",
        "new_values",
        "ip",
        "user_agent",
        "seq",
        "chain",
    ]
    readonly_fields = fields


@admin.register(HolidayDay)
class HolidayDayAdmin(AuditedModelAdmin):
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Shown so an administrator can see where the counters stand; changing one would reuse
    case numbers, so nobody can."""

    list_display = ["name", "year", "last_value"]
