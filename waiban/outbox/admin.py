"""The outbox in the admin: read-only for the system and audit administrators, with one action
for the system administrator — retry a failed message — that goes through the service (and so
is audited), never through a form."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waiban.accounts.roles import Role
from waiban.core.admin_audit import ReadOnlyAdminMixin
from waiban.core.errors import ServiceError
from waiban.outbox.models import OutboxMessage, PeriodicJob
from waiban.outbox.services import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "topic", "key", "state", "attempts", "next_attempt_at", "done_at"]
    list_filter = ["state", "topic"]
    search_fields = ["topic", "key"]
    show_full_result_count = False  # the table grows with every side effect
    fields = [
        "topic",
        "key",
        "payload",
        "state",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "enqueued_at",
        "started_at",
        "last_error",
        "created_at",
        "done_at",
    ]
    readonly_fields = fields
    actions = ["retry"]

    def response_action(self, request, queryset):
        # A tampered selection (not ids) is no selection, not a server error.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(not value.isdigit() for value in selected):
            self.message_user(request, _("Choose the messages from the list."), messages.WARNING)
            return None
        return super().response_action(request, queryset)

    def has_retry_permission(self, request):
        # Retrying is operating the system: the system administrator's job, not the auditor's.
        return request.user.is_active and request.user.role == Role.SYS_ADMIN

    @admin.action(description=_("Retry the selected messages"), permissions=["retry"])
    def retry(self, request, queryset):
        retried = 0
        for message in queryset:
            try:
                outbox_retry(message=message, actor=request.user)
            except ServiceError as error:
                self.message_user(request, f"{message}: {error.message}", messages.WARNING)
            else:
                retried += 1
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message queued again.", "%(count)d messages queued again.", retried
                )
                % {"count": retried},
                messages.SUCCESS,
            )


@admin.register(PeriodicJob)
class PeriodicJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "last_period", "last_run_at"]
    fields = list_display
    readonly_fields = fields
