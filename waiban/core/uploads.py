"""The size rule every upload obeys (materials, photos, spreadsheets): one wording of it."""

from django.conf import settings
from django.utils.translation import gettext as _


def upload_size_problem(size: int | None) -> tuple[str, str] | None:
    """(code, message) when an upload of ``size`` bytes is empty or over the limit, else None
    (an unknown size is judged by what is read)."""
    if size == 0:
        return "upload_empty", _("The file is empty.")
    if size and size > settings.UPLOAD_MAX_BYTES:
        return "upload_too_large", _("The file is %(size).1f MB; the limit is %(limit).0f MB.") % {
            "size": size / 1048576,
            "limit": settings.UPLOAD_MAX_BYTES / 1048576,
        }
    return None
