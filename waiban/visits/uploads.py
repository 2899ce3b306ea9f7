"""Checks on uploaded files: by content (magic bytes), not by the name the user gave them."""

import hashlib

import filetype
from django.utils.translation import gettext as _

from waiban.core.errors import ServiceError
from waiban.core.uploads import image_pixels_problem, upload_size_problem

ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}


def inspect_upload(uploaded) -> dict:
    """Return content type, size and hash of an allowed file, or raise a clear ServiceError."""
    size = uploaded.size
    problem = upload_size_problem(size)
    if problem:
        raise ServiceError(*problem, field="file")
    uploaded.seek(0)
    head = uploaded.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ServiceError(
            "upload_type",
            _(
                "Only PDF, JPG and PNG files are accepted; this file is not one of them, "
                "whatever its name says."
            ),
            field="file",
        )
    if kind.mime.startswith("image/"):
        uploaded.seek(0)
        problem = image_pixels_problem(uploaded.read())
        if problem:
            raise ServiceError(*problem, field="file")
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return {
        "content_type": kind.mime,
        "size": size,
        "sha256": digest.hexdigest(),
        "ext": ALLOWED_TYPES[kind.mime],
    }
