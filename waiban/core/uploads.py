"""The limits every upload obeys (materials, photos, spreadsheets), each with one wording.

Compressed formats are judged by what they would become, read from their headers before any
decoding: a 100 KB PNG or .xlsx can unpack to gigabytes (a decompression bomb).
"""

import io
import zipfile

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


def image_pixels_problem(data: bytes) -> tuple[str, str] | None:
    """(code, message) when an image has more pixels than the limit, else None.

    Pillow reads only the header here (``Image.open`` is lazy), so a 400-megapixel PNG is
    refused in microseconds instead of filling the memory. A file that is no image is left to
    the caller's own check."""
    from PIL import Image, UnidentifiedImageError

    limit = settings.UPLOAD_MAX_IMAGE_PIXELS
    megapixels = {"limit": limit // 1_000_000}
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Image.DecompressionBombError:  # Pillow's own, higher limit tripped on the header
        return "image_too_many_pixels", _(
            "The image has far more than %(limit)d megapixels, the most accepted. "
            "Save it at a smaller size."
        ) % megapixels
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    if width * height > limit:
        return "image_too_many_pixels", _(
            "The image is %(width)d×%(height)d pixels; at most %(limit)d megapixels are accepted. "
            "Save it at a smaller size."
        ) % {"width": width, "height": height, **megapixels}
    return None


def zip_unpacked_problem(data: bytes) -> tuple[str, str] | None:
    """(code, message) when a zip container (.xlsx, .docx) would unpack to more than the limit
    or is compressed far more than real documents are, else None.

    The sizes come from the zip's directory; Python's zipfile never inflates a member beyond
    its declared size (and fails on a mismatch), so the declared sum bounds the real work."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a zip after all: the reader refuses it in its own words
    limit = settings.SPREADSHEET_MAX_UNPACKED_BYTES
    unpacked = sum(m.file_size for m in members)
    if len(members) > 10_000 or unpacked > limit:
        return "upload_unpacks_too_large", _(
            "The file unpacks to %(size).0f MB; at most %(limit).0f MB are accepted. "
            "Split it into several files."
        ) % {"size": unpacked / 1048576, "limit": limit / 1048576}
    for member in members:
        # Office's XML compresses about 10:1; a ratio in the hundreds is a crafted file.
        if member.file_size > 1048576 and member.file_size > 200 * max(member.compress_size, 1):
            return "upload_compression_ratio", _(
                "The file is compressed in a way no spreadsheet program writes "
                "(it would unpack to %(size).0f MB). Save it again from Excel or WPS."
            ) % {"size": member.file_size / 1048576}
    return None
