"""Read-only views for the audit administrator: who imported which version, which hits were
decided how. Entries themselves are not in the admin: the lists are office business."""

from django.contrib import admin

from waiban.core.admin_audit import ReadOnlyAdminMixin
from waiban.watchlists.models import ListImport, ScreeningHit


@admin.register(ListImport)
class ListImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "imported_at",
        "control_list_id",
        "version",
        "imported_by",
        "file_name",
        "rows",
        "added",
        "restored",
        "updated",
        "deactivated",
    ]
    list_select_related = ["imported_by"]
    fields = [
        "control_list_id",
        "version",
        "imported_by",
        "imported_at",
        "file_name",
        "file_sha256",
        "rows",
        "added",
        "restored",
        "updated",
        "unchanged",
        "deactivated",
    ]
    readonly_fields = fields


@admin.register(ScreeningHit)
class ScreeningHitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "created_at",
        "delegation_id",
        "person_id",
        "entry_id",
        "kind",
        "severity",
        "status",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "kind", "severity"]
    list_select_related = ["decided_by"]
    show_full_result_count = False
    fields = [
        "delegation_id",
        "person_id",
        "entry_id",
        "kind",
        "severity",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
        "reason",
    ]
    readonly_fields = fields
