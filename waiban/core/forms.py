"""Form helpers shared by the apps: Bootstrap classes, errors marked on the field."""

from django import forms


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
