from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waiban.accounts.models import AdminProposal, Authority, Unit, User
from waiban.accounts.roles import ADMIN_ROLES, MAX_CLERKS_PER_UNIT, Role
from waiban.accounts.separation import (
    CONFIRMING_ROLES,
    admin_proposal_create,
    admin_proposal_decide,
    may_manage_directly,
)
from waiban.core.admin_audit import AuditedAdminMixin, AuditedModelAdmin
from waiban.core.admin_widgets import TolerantAutocompleteMixin
from waiban.core.audit import audit_record
from waiban.core.errors import ServiceError


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
            {"fields": ["is_active", "must_change_password"]},
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

    # 三权分立: the security administrator edits ordinary accounts only, never an
    # administrator's (their own included); those go through AdminProposal.
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return may_manage_directly(request.user, obj.role, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "role" in form.base_fields:
            field = form.base_fields["role"]
            field.choices = [c for c in field.choices if c[0] not in ADMIN_ROLES]
        return form

    def save_model(self, request, obj, form, change):
        target = User.objects.filter(pk=obj.pk).first() if change else None
        if not request.user.is_superuser and not may_manage_directly(
            request.user, obj.role, target
        ):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        """The password form saves outside save_model: audit it here, in one transaction."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, id)
                # A password set by someone else is known to them: the owner must replace it.
                forced = user.pk != request.user.pk
                if forced:
                    User.objects.filter(pk=user.pk).update(must_change_password=True)
                audit_record(
                    actor=request.user,
                    action="admin.accounts.user.password_change",
                    obj=user,
                    new={
                        "password": "changed",
                        "usable": user.has_usable_password(),
                        "must_change_password": forced,
                    },
                )
        return response


class AdminProposalForm(forms.ModelForm):
    password = forms.CharField(
        label=_("password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("For a new administrator or a reset; they must change it at first log-in."),
    )

    class Meta:
        model = AdminProposal
        fields = ["kind", "target", "username", "full_name", "role", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = User.objects.filter(role__in=ADMIN_ROLES)
        self.fields["role"].choices = [("", "---------")] + [
            c for c in Role.choices if c[0] in ADMIN_ROLES
        ]

    def clean(self):
        """The service decides (inside the admin's transaction); its refusal is shown beside
        the field it names and the form keeps what was typed."""
        data = super().clean()
        if self.errors:
            return data
        try:
            self.proposal = admin_proposal_create(
                actor=self.actor,
                kind=data["kind"],
                target=data.get("target"),
                username=data.get("username", ""),
                full_name=data.get("full_name", ""),
                role=data.get("role", ""),
                is_active=data.get("is_active", True),
                password=data.get("password", ""),
            )
        except ServiceError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)
        return data


@admin.register(AdminProposal)
class AdminProposalAdmin(admin.ModelAdmin):
    """One administrator proposes a change to an administrator's account; another confirms."""

    form = AdminProposalForm
    list_display = ["__str__", "role", "status", "proposed_by", "proposed_at", "decided_by"]
    list_filter = ["status", "kind"]
    actions = ["confirm_selected", "refuse_selected"]

    def has_change_permission(self, request, obj=None):
        return False  # decided through the actions, never edited

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return request.user.role in CONFIRMING_ROLES

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        obj.pk = form.proposal.pk  # made by the service in the form's clean()
        obj._state.adding = False

    def _decide(self, request, queryset, *, confirm):
        for proposal in queryset:
            try:
                admin_proposal_decide(actor=request.user, proposal=proposal, confirm=confirm)
            except ServiceError as error:
                self.message_user(request, f"{proposal}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, str(proposal), messages.SUCCESS)

    @admin.action(description=_("Confirm the selected changes"), permissions=["decide"])
    def confirm_selected(self, request, queryset):
        self._decide(request, queryset, confirm=True)

    @admin.action(description=_("Refuse the selected changes"), permissions=["decide"])
    def refuse_selected(self, request, queryset):
        self._decide(request, queryset, confirm=False)
