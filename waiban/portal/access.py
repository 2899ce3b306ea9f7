"""The secret that opens a case's public progress card, so that nobody can walk every case's
unit and dates with sequential numbers.

Both secrets are derived from the case number with a key outside the database (HMAC), so
nothing is stored and every receipt printed again shows the same ones: the short query code
printed under the number (8 characters, ~40 bits, typed by hand), and the token in the
receipt's QR link (160 bits, never typed).
"""

import base64
import hashlib
import hmac
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

# Crockford's alphabet: no I, L, O or U, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8


def _digest(purpose: str, case_number: str) -> bytes:
    key = settings.PROGRESS_QUERY_KEY or f"progress-query:{settings.SECRET_KEY}"
    return hmac.new(key.encode(), f"{purpose}:{case_number}".encode(), hashlib.sha256).digest()


def progress_code(case_number: str) -> str:
    """The query code printed on the receipt, e.g. ``7KQ2-M9XD`` (shown with a dash)."""
    number = int.from_bytes(_digest("code", case_number)[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    code = "".join(chars)
    return f"{code[:4]}-{code[4:]}"


def progress_token(case_number: str) -> str:
    return base64.urlsafe_b64encode(_digest("token", case_number)[:20]).decode().rstrip("=")


def progress_path(case_number: str) -> str:
    """The receipt QR's link: it opens the card without typing anything."""
    query = urlencode({"case": case_number, "key": progress_token(case_number)})
    return f"{reverse('portal:progress')}?{query}"


def normalised_code(typed: str) -> str:
    """What the visitor typed, as the code is compared: case, spaces and dashes do not matter,
    and the letters Crockford reads as digits (O→0, I/L→1) are read so."""
    cleaned = "".join(typed.upper().split()).replace("-", "")
    return cleaned.translate(str.maketrans("OIL", "011"))


def secret_opens(case_number: str, *, code: str = "", key: str = "") -> bool:
    """Whether the typed query code or the link's token belongs to ``case_number``."""
    if key:
        return hmac.compare_digest(key.encode(), progress_token(case_number).encode())
    if code:
        expected = progress_code(case_number).replace("-", "")
        return hmac.compare_digest(normalised_code(code).encode(), expected.encode())
    return False


def progress_query(case_number: str) -> dict:
    """The query as a visitor types it from the receipt (for links and tests)."""
    return {"case": case_number, "code": progress_code(case_number)}
