from django.contrib import admin

from waiban.core.admin_audit import AuditedModelAdmin, ReadOnlyAdminMixin
from waiban.visits.models import (
    ApprovalChainStep,
    ApprovalStep,
    Attachment,
    BudgetLine,
    CorrectionItem,
    CorrectionNotice,
    Delegation,
    DelegationEvent,
    DelegationMember,
    ItineraryStop,
    StageLimit,
)


class MemberInline(admin.TabularInline):
    model = DelegationMember
    raw_id_fields = ["person"]
    fields = ["person", "role", "position", "post_at_submission", "rank_at_submission"]
    readonly_fields = ["post_at_submission", "rank_at_submission"]
    extra = 0


class StopInline(admin.TabularInline):
    model = ItineraryStop
    fields = ["position", "country", "city", "arrival_date", "departure_date", "is_transit"]
    extra = 0


class BudgetInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attachment
    fields = ["kind", "original_name", "content_type", "size", "uploaded_at", "is_current"]
    readonly_fields = fields
    extra = 0


class ApprovalStepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ApprovalStep
    fields = [
        "level",
        "position",
        "is_external",
        "decision",
        "decided_by",
        "decided_at",
        "opinion",
        "external_document_number",
    ]
    readonly_fields = fields
    extra = 0


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DelegationEvent
    fields = ["at", "actor", "action", "from_state", "to_state", "deadline", "comment"]
    readonly_fields = fields
    extra = 0


@admin.register(Delegation)
class DelegationAdmin(AuditedModelAdmin):
    """Content can be corrected here; the state never: it moves only through the workflow
    services (waiban.visits.workflow), which check roles, deadlines and separation of duties."""

    list_display = [
        "case_number",
        "title",
        "unit",
        "state",
        "deadline",
        "departure_date",
        "updated_at",
    ]
    list_filter = ["state", "task_type", "funding_source", "authority"]
    search_fields = ["case_number", "title", "unit__name", "inviting_organisation"]
    list_select_related = ["unit"]
    show_full_result_count = False
    autocomplete_fields = ["unit", "authority"]
    raw_id_fields = ["leader"]
    readonly_fields = [
        "case_number",
        "state",
        "version",
        "state_entered_at",
        "deadline",
        "submitted_at",
        "committed_by",
        "committed_at",
        "accepted_by",
        "review_opinion",
        "approval_level",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [
        MemberInline,
        StopInline,
        BudgetInline,
        AttachmentInline,
        ApprovalStepInline,
        EventInline,
    ]

    def has_add_permission(self, request):
        return False  # a case starts as a unit clerk's draft, with its creator on record

    def has_delete_permission(self, request, obj=None):
        return False  # cases are never deleted (留痕); withdraw them instead

    def save_model(self, request, obj, form, change):
        # A new version, so a clerk or officer working on an older copy gets the "someone
        # else acted meanwhile" message instead of silently overwriting the admin's change.
        obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(DelegationEvent)
class DelegationEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["delegation", "at", "actor", "action", "from_state", "to_state", "deadline"]
    list_filter = ["action", "to_state"]
    search_fields = ["delegation__case_number", "delegation__title", "actor__username"]
    list_select_related = ["delegation", "actor"]
    show_full_result_count = False


class CorrectionItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CorrectionItem
    fields = ["target", "message"]
    readonly_fields = fields
    extra = 0


@admin.register(CorrectionNotice)
class CorrectionNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["delegation", "issued_by", "issued_at", "resolved_at"]
    search_fields = ["delegation__case_number", "delegation__title"]
    list_select_related = ["delegation", "issued_by"]
    inlines = [CorrectionItemInline]


@admin.register(ApprovalChainStep)
class ApprovalChainStepAdmin(AuditedModelAdmin):
    list_display = ["rank_group", "level", "position", "is_external", "authority"]
    list_filter = ["rank_group", "authority"]


@admin.register(StageLimit)
class StageLimitAdmin(AuditedModelAdmin):
    list_display = ["authority", "state", "working_days"]
    list_filter = ["state", "authority"]
