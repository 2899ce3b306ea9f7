from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waiban.accounts.models import Authority, Unit, User
from waiban.accounts.roles import MAX_CLERKS_PER_UNIT, Role
from waiban.core.admin_audit import AuditedAdminMixin, AuditedModelAdmin
from waiban.core.admin_widgets import TolerantAutocompleteMixin
from waiban.core.audit import audit_record


@admin.register(Authority)
class AuthorityAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "level", "parent", "handles_subordinate_cases"]
    list_filter = ["level", "handles_subordinate_cases"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["name", "uscc", "level", "authority"]
    list_filter = ["level", "authority"]
    search_fields = ["name", "uscc"]
    list_select_related = ["authority"]
    autocomplete_fields = ["authority"]


class _ClerkLimitMixin:
    """The same limit as accounts.services.user_create: at most two active clerks per unit."""

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if data.get("role") == Role.UNIT_CLERK and unit and data.get("is_active", True):
            others = User.objects.filter(unit=unit, role=Role.UNIT_CLERK, is_active=True)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.count() >= MAX_CLERKS_PER_UNIT:
                raise forms.ValidationError(
                    gettext("A unit has at most %(n)d clerks.") % {"n": MAX_CLERKS_PER_UNIT}
                )
        return data


class UserAddForm(_ClerkLimitMixin, AdminUserCreationForm):
    pass


class UserEditForm(_ClerkLimitMixin, UserChangeForm):
    pass


@admin.register(User)
class UserAdmin(AuditedAdminMixin, TolerantAutocompleteMixin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserAddForm
    list_display = [
        "username",
        "full_name",
        "role",
        "unit",
        "authority",
        "approver_position",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "is_active", "authority"]
    search_fields = ["username", "full_name", "unit__name", "authority__name"]
    list_select_related = ["unit", "authority"]
    autocomplete_fields = ["unit", "authority"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Role"), {"fields": ["full_name", "role", "unit", "authority", "approver_position"]}),
        (
            _("Admin site"),
            # Admin-site rights follow the role (accounts.permissions): nothing to tick here.
            {"fields": ["is_active"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "usable_password", "password1", "password2"],
            },
        ),
        (_("Role"), {"fields": ["full_name", "role", "unit", "authority", "approver_position"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def user_change_password(self, request, id, form_url=""):
        """The password form saves outside save_model: audit it here, in one transaction."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, id)
                audit_record(
                    actor=request.user,
                    action="admin.accounts.user.password_change",
                    obj=user,
                    new={"password": "changed", "usable": user.has_usable_password()},
                )
        return response
