"""Field-level encryption of personal data with a blind index for exact look-ups.

Values are encrypted with Fernet (AES-128-CBC + HMAC, from ``cryptography``); a MultiFernet lets
old keys keep decrypting after a rotation. The blind index is an HMAC-SHA256 of the normalised
value under a separate key, so equality look-ups work without ever storing the plain value.
Without configured keys (development, tests) both keys are derived from SECRET_KEY.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _derive(label: str) -> bytes:
    return hashlib.sha256(f"{label}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        keys = (base64.urlsafe_b64encode(_derive("waiban-field-encryption")).decode(),)
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(plain: str) -> str:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("encrypted value cannot be decrypted with the configured keys") from exc


def blind_index(value: str | None) -> str:
    """Keyed hash of a normalised value; equal inputs give equal hashes, nothing else leaks."""
    if not value:
        return ""
    key = settings.BLIND_INDEX_KEY.encode() or _derive("waiban-blind-index")
    normalised = "".join(str(value).split()).upper()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def mask(value: str | None, *, keep_start: int = 4, keep_end: int = 4) -> str:
    """``450103199001011234`` -> ``4501**********1234``: enough to recognise, not to reuse."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; Python code only ever sees the plain value."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
