import io

import pypdfium2
import pytest
import zxingcpp

from waiban.documents import keys


@pytest.fixture
def signing_keys(db, settings, tmp_path):
    """The office root and one signer, with private keys in a throw-away folder."""
    settings.DOCUMENT_KEYS_DIR = tmp_path / "keys"
    settings.DOCUMENT_AUTO_KEYS = False
    root = keys.root_create()
    signer = keys.signer_rotate()
    return root, signer


def qr_texts_in_pdf(pdf: bytes, *, scale: float = 3.0) -> list[str]:
    """Render every page to an image (pypdfium2) and decode its QR codes (zxing-cpp)."""
    texts = []
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    for page in document:
        image = page.render(scale=scale).to_pil()
        texts += [r.text for r in zxingcpp.read_barcodes(image) if r.text]
    return texts
