"""Unified social credit code (统一社会信用代码, GB 32100-2015), checked with python-stdnum."""

from django.utils.translation import gettext as _
from stdnum import exceptions
from stdnum.cn import uscc


def uscc_error(value: str) -> str | None:
    """A clerk-readable reason the code is wrong, or None if it is valid."""
    if not value:
        return _("The unified social credit code is required.")
    try:
        uscc.validate(value)
    except exceptions.InvalidLength:
        return _("The unified social credit code has 18 characters.")
    except exceptions.InvalidChecksum:
        return _("The last character (check character) does not match: please check the code.")
    except exceptions.ValidationError:
        return _(
            "The code contains characters that are not allowed (I, O, S, V and Z are never used)."
        )
    return None
