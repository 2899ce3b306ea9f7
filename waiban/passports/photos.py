"""Checks on a passport photo that need no person: file, size, pixels, colour, background, focus.

Each failure is one specific message the clerk can act on. Pillow only (no numpy needed).
"""

import io
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _
from PIL import Image, ImageFilter, UnidentifiedImageError

from waiban.core.uploads import image_pixels_problem

MAX_BYTES = 2 * 1024 * 1024
MIN_WIDTH, MIN_HEIGHT = 354, 472
ASPECT, ASPECT_TOLERANCE = 3 / 4, 0.02
BACKGROUND_MIN_BRIGHTNESS = 180  # mean grey level of the border strips
BACKGROUND_MAX_SPREAD = 30  # their standard deviation: a plain background varies little
GREY_MAX_CHROMA = 4  # mean channel difference below which a photo counts as black-and-white
MIN_SHARPNESS = 60  # the strongest edges (99.5th percentile); a blurred photo has none


@dataclass(frozen=True)
class PhotoProblem:
    code: str
    message: str


def photo_problems(data: bytes) -> list[PhotoProblem]:
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in ("image/jpeg", "image/png"):
        return [
            PhotoProblem(
                "photo_type",
                _(
                    "The photo must be a JPG or PNG image; this file is not, whatever its name says."
                ),
            )
        ]
    too_big = image_pixels_problem(data)
    if too_big:
        return [PhotoProblem(*too_big)]
    problems = []
    if len(data) > MAX_BYTES:
        problems.append(
            PhotoProblem(
                "photo_too_large",
                _("The photo is %(size).1f MB; the limit is 2 MB.") % {"size": len(data) / 2**20},
            )
        )
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return [PhotoProblem("photo_unreadable", _("The image cannot be read; save it again."))]
    width, height = image.size
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        problems.append(
            PhotoProblem(
                "photo_small",
                _("The photo is %(w)d×%(h)d pixels; it must be at least 354×472.")
                % {"w": width, "h": height},
            )
        )
    if abs(width / height - ASPECT) > ASPECT_TOLERANCE:
        problems.append(
            PhotoProblem(
                "photo_aspect",
                _("The photo must be 3:4 (portrait); crop it to width:height = 3:4."),
            )
        )
    rgb = image.convert("RGB")
    if image.mode in ("L", "1", "LA") or _chroma(rgb) < GREY_MAX_CHROMA:
        problems.append(
            PhotoProblem("photo_colour", _("The photo must be in colour, not black-and-white."))
        )
    grey = rgb.convert("L")
    mean, spread = _border(grey)
    if mean < BACKGROUND_MIN_BRIGHTNESS or spread > BACKGROUND_MAX_SPREAD:
        problems.append(
            PhotoProblem(
                "photo_background",
                _("The background must be plain and light (white or light blue) at the edges."),
            )
        )
    if _sharpness(grey) < MIN_SHARPNESS:
        problems.append(
            PhotoProblem("photo_blurred", _("The photo is blurred; take it again in focus."))
        )
    return problems


def _chroma(rgb) -> float:
    small = rgb.resize((64, 64))
    pixels = list(small.get_flattened_data())
    return sum(max(p) - min(p) for p in pixels) / len(pixels)


def _border(grey) -> tuple[float, float]:
    """Brightness and spread of the left, right and top strips (the shoulders fill the bottom)."""
    w, h = grey.size
    strip = max(2, w // 12)
    pixels = []
    for box in ((0, 0, strip, h // 2), (w - strip, 0, w, h // 2), (0, 0, w, max(2, h // 16))):
        pixels.extend(grey.crop(box).get_flattened_data())
    n = len(pixels)
    mean = sum(pixels) / n
    spread = (sum((p - mean) ** 2 for p in pixels) / n) ** 0.5
    return mean, spread


def _sharpness(grey) -> float:
    """How strong the strongest edges are: a photo in focus has some crisp ones (eyes, hair)."""
    # The filter's frame at the image border is meaningless: leave it out.
    edges = grey.resize((354, 472)).filter(ImageFilter.FIND_EDGES).crop((3, 3, 351, 469))
    histogram = edges.histogram()
    wanted = sum(histogram) * 0.005
    seen = 0
    for level in range(255, -1, -1):
        seen += histogram[level]
        if seen >= wanted:
            return level
    return 0
