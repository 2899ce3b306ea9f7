"""Fast ``get_FOO_display`` for fields with choices.

Django's own builds ``dict(make_hashable(field.flatchoices))`` on every call, and hashing the
lazy labels translates each of them: a 50-row list with a state column spent a quarter of its
rendering there. This looks the label up in a dict built once per field and translates only
the label it returns.
"""

from django.utils.encoding import force_str


class ChoiceLabelsMixin:
    """Put before ``models.Model`` in the bases: Django binds get_FOO_display to
    ``cls._get_FIELD_display`` when the class is created, so this one is found first."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        labels = field.__dict__.get("_choice_labels")
        if labels is None:
            labels = field._choice_labels = dict(field.flatchoices)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value: Django's answer is the value itself
            label = value
        return force_str(label, strings_only=True)
