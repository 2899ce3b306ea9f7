"""The visa regime table and the embassies in the admin site (the system administrator); the
batches' history for the audit administrator. Every edit is audited (AuditedModelAdmin)."""

from django.contrib import admin

from waiban.core.admin_audit import AuditedModelAdmin, ReadOnlyAdminMixin
from waiban.visas.models import Embassy, RegimeEdition, VisaBatchEvent, VisaRegime


@admin.register(RegimeEdition)
class RegimeEditionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Editions come from files (manage.py visa_regimes_load FILE), never typed here."""

    list_display = ["name", "published_on", "source", "loaded_at", "loaded_by"]


@admin.register(VisaRegime)
class VisaRegimeAdmin(AuditedModelAdmin):
    list_display = [
        "country",
        "passport_kind",
        "regime",
        "max_stay_days",
        "condition",
        "valid_from",
        "valid_to",
        "to_verify",
        "edition",
    ]
    list_filter = ["edition", "regime", "passport_kind", "to_verify"]
    search_fields = ["country", "conditions", "source"]
    list_select_related = ["edition"]


@admin.register(Embassy)
class EmbassyAdmin(AuditedModelAdmin):
    list_display = [
        "name",
        "country",
        "kind",
        "city",
        "jurisdiction",
        "via_mfa",
        "default_lead_days",
        "is_active",
    ]
    list_filter = ["kind", "via_mfa", "is_active"]
    search_fields = ["name", "city", "jurisdiction"]


@admin.register(VisaBatchEvent)
class VisaBatchEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["batch", "at", "actor", "action", "from_state", "to_state"]
    list_filter = ["action"]
    list_select_related = ["batch__delegation", "batch__embassy", "actor"]
