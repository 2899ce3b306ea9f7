from django.contrib import admin

from waiban.core.admin_audit import AuditedModelAdmin
from waiban.core.crypto import blind_index
from waiban.people.models import Person


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    """Personal data stays encrypted and masked here: ID number and phone are shown masked and
    changed only by the unit's clerk (the service keeps the blind index and duplicate check)."""

    list_display = [
        "name_zh",
        "surname_pinyin",
        "given_name_pinyin",
        "unit",
        "post",
        "rank",
        "secret_level",
        "is_active",
    ]
    list_filter = [
        "rank",
        "secret_level",
        "is_active",
        "is_teaching_research",
        "in_leadership_team",
        "unit__authority",
    ]
    search_fields = ["name_zh", "surname_pinyin", "given_name_pinyin", "post", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    exclude = ["id_number", "phone"]
    readonly_fields = ["id_number_masked", "phone_masked", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def get_search_results(self, request, queryset, search_term):
        """A full ID number is also looked up exactly, through the blind index."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = "".join(search_term.split())
        if len(term) == 18:
            results |= queryset.filter(id_number_hash=blind_index(term))
        return results, may_have_duplicates
