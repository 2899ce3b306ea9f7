"""Find the QR code in an uploaded photo or scan, refusing anything too big to decode safely."""

import io

from waiban.core.uploads import image_pixels_problem


class ImageRejected(ValueError):
    pass


def qr_texts_from_image(data: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    if image_pixels_problem(data):  # refused before decoding (settings.UPLOAD_MAX_IMAGE_PIXELS)
        raise ImageRejected("the image is too large")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.mode not in ("L", "RGB"):
                image = image.convert("RGB")
            results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRejected("the file is not a readable image") from exc
    return [r.text for r in results if r.text]
