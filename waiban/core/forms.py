"""Form helpers shared by the apps: Bootstrap classes, errors marked on the field, dates
within the span people mean."""

import datetime as dt

from django import forms
from django.utils.translation import gettext as _


def bootstrap(form, errors=None):
    """Give every widget its Bootstrap class and mark the fields named in ``errors`` (the
    form's errors once it has been validated) as invalid."""
    for name, field in form.fields.items():
        widget = field.widget
        if getattr(widget, "input_type", "") in ("checkbox", "radio"):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):  # and its kinds (SelectMultiple, CountrySelect)
            css = "form-select"
        else:
            css = "form-control"
        if errors and name in errors:
            css += " is-invalid"
        classes = widget.attrs.get("class", "").split()
        classes = [c for c in classes if c != "is-invalid"]
        classes += [c for c in css.split() if c not in classes]
        widget.attrs["class"] = " ".join(classes)
    return form


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def full_clean(self):
        super().full_clean()
        bootstrap(self, self.errors)  # validation has run: reading the errors runs nothing


# The dates a person enters here (trips, births, passports) all fall in this span. Dates at the
# calendar's ends (year 1, 9999) parse, but the rules' date arithmetic (a year back, a day on)
# then runs off the calendar.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


class PlausibleDateField(forms.DateField):
    """A date field that refuses dates outside EARLIEST_DATE … LATEST_DATE, saying so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(validate_plausible_date)

    def widget_attrs(self, widget):
        # The browser's date picker offers only this span too.
        return {
            **super().widget_attrs(widget),
            "min": EARLIEST_DATE.isoformat(),
            "max": LATEST_DATE.isoformat(),
        }


def validate_plausible_date(value):
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise forms.ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
            code="implausible_date",
        )
