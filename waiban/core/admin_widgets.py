"""The admin's autocomplete select, tolerant of a submitted value that is no id.

Django's widget looks the submitted values up to draw the chosen option again, and a value
that cannot be a key ("abc", an id past the bigint range) makes that query fail: a server
error on a form the admin only mistyped or tampered with. The form field itself rejects the
value with a proper error; the widget now draws only the values that can be keys.
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError

from waiban.core.parsing import ID_MAX


def _can_be_key(target_field, value) -> bool:
    try:
        key = target_field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    return not isinstance(key, int) or -ID_MAX - 1 <= key <= ID_MAX


class TolerantAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(remote.field_name)
        return super().optgroups(name, [v for v in value if _can_be_key(target, v)], attr)


class TolerantAutocompleteMixin:
    """Put in a ModelAdmin's bases: its autocomplete_fields use the tolerant widget."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
