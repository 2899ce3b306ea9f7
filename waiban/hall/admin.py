"""The system administrator keeps the catalogue, the windows and the time slots here.

A guide is never edited in place: "Add a version" starts from the current one, and saving
makes the next version (the public sees the highest number)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from waiban.core.admin_audit import AuditedAdminMixin, AuditedModelAdmin
from waiban.hall.catalogue import GUIDE_FIELDS, guide_version_create
from waiban.hall.models import (
    BusinessType,
    ServiceFile,
    ServiceGuideVersion,
    ServiceItem,
    TimeSlot,
    TravelAdvisory,
    Window,
)


class ServiceFileInline(admin.TabularInline):
    model = ServiceFile
    extra = 1
    fields = ["title", "kind", "file"]


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedModelAdmin):
    list_display = ["code", "current_name", "current_number", "order", "published", "new_version"]
    inlines = [ServiceFileInline]

    @admin.display(description=_("name"))
    def current_name(self, item):
        version = item.current_version()
        return version.name if version else "—"

    @admin.display(description=_("version"))
    def current_number(self, item):
        version = item.current_version()
        return version.number if version else "—"

    @admin.display(description=_("guide"))
    def new_version(self, item):
        url = reverse("admin:hall_serviceguideversion_add") + f"?item={item.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Edit the guide (new version)"))


@admin.register(ServiceGuideVersion)
class ServiceGuideVersionAdmin(admin.ModelAdmin):
    list_display = ["item", "number", "name", "note", "created_by", "created_at"]
    list_filter = ["item"]
    fields = ["item", *GUIDE_FIELDS]

    def has_change_permission(self, request, obj=None):
        return False  # append-only: a change is a new version

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        """?item=<id>: the new version starts as a copy of the item's current one."""
        initial = super().get_changeform_initial_data(request)
        pk = request.GET.get("item", "")
        item = (
            ServiceItem.objects.filter(pk=int(pk)).first()
            if pk.isdigit() and len(pk) < 10
            else None
        )
        current = item.current_version() if item else None
        if current is not None:
            initial.update(
                {name: getattr(current, name) for name in GUIDE_FIELDS if name != "note"}
            )
            initial["item"] = item.pk
        return initial

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data.get(name) for name in GUIDE_FIELDS}
        saved = guide_version_create(actor=request.user, item=form.cleaned_data["item"], **values)
        obj.pk, obj.number = saved.pk, saved.number


@admin.register(Window)
class WindowAdmin(AuditedModelAdmin):
    list_display = ["letter", "name", "authority", "active"]
    list_filter = ["authority", "active"]


@admin.register(BusinessType)
class BusinessTypeAdmin(AuditedModelAdmin):
    list_display = ["name", "window", "service_item"]


class TimeSlotForm(forms.ModelForm):
    class Meta:
        model = TimeSlot
        fields = ["business_type", "day", "starts", "ends", "capacity"]

    def clean(self):
        data = super().clean()
        capacity = data.get("capacity")
        if capacity is not None and capacity < self.instance.booked:
            self.add_error(
                "capacity",
                _("%(booked)d places are already booked: the capacity cannot be less.")
                % {"booked": self.instance.booked},
            )
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The slot must end after it starts."))
        return data


@admin.register(TimeSlot)
class TimeSlotAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = TimeSlotForm
    list_display = ["day", "starts", "ends", "business_type", "capacity", "booked"]
    list_filter = ["business_type", "day"]
    readonly_fields = ["booked"]  # only the booking services change it, under the row lock
    date_hierarchy = "day"


@admin.register(TravelAdvisory)
class TravelAdvisoryAdmin(AuditedModelAdmin):
    list_display = ["country", "level", "title", "source", "valid_from", "valid_to"]
    list_filter = ["level", "country"]
