"""COSE_Sign1 (RFC 9052 §4.2, §4.4) over CBOR, with pluggable signature algorithms.

Written on ``cbor2`` rather than a COSE library: Sign1 is one array and one Sig_structure, the
whole of it fits here, the offline verifier needs nothing beyond ``cbor2`` and ``cryptography``,
and a new algorithm (SM2 with SM3, for instance) is one entry in ``ALGORITHMS``.
This module imports no Django so that the command-line verifier can use it on its own.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

COSE_SIGN1_TAG = 18
HEADER_ALG = 1
HEADER_KID = 4


class CoseError(ValueError):
    """The bytes are not a well-formed COSE_Sign1 structure."""


@dataclass(frozen=True)
class Algorithm(ABC):
    """A COSE signature algorithm; ES256 below, an SM2 signer would be another subclass."""

    cose_id: int
    name: str

    @abstractmethod
    def sign(self, private_key, data: bytes) -> bytes: ...

    @abstractmethod
    def verify(self, public_key, data: bytes, signature: bytes) -> bool: ...


@dataclass(frozen=True)
class EcdsaAlgorithm(Algorithm):
    """ECDSA as COSE wants it: the signature is r || s, each the curve's size (RFC 9053 §2.1)."""

    curve: type = ec.SECP256R1
    hash_cls: type = hashes.SHA256
    size: int = 32

    def sign(self, private_key, data: bytes) -> bytes:
        der = private_key.sign(data, ec.ECDSA(self.hash_cls()))
        r, s = decode_dss_signature(der)
        return r.to_bytes(self.size, "big") + s.to_bytes(self.size, "big")

    def verify(self, public_key, data: bytes, signature: bytes) -> bool:
        if len(signature) != 2 * self.size or not isinstance(public_key, ec.EllipticCurvePublicKey):
            return False
        if not isinstance(public_key.curve, self.curve):
            return False
        r = int.from_bytes(signature[: self.size], "big")
        s = int.from_bytes(signature[self.size :], "big")
        try:
            public_key.verify(encode_dss_signature(r, s), data, ec.ECDSA(self.hash_cls()))
        except InvalidSignature:
            return False
        return True


ES256 = EcdsaAlgorithm(cose_id=-7, name="ES256")
ALGORITHMS: dict[int, Algorithm] = {ES256.cose_id: ES256}


def register_algorithm(algorithm: Algorithm) -> None:
    ALGORITHMS[algorithm.cose_id] = algorithm


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload], canonical=True)


def sign1(*, payload: bytes, private_key, kid: bytes, algorithm: Algorithm = ES256) -> bytes:
    protected = cbor2.dumps({HEADER_ALG: algorithm.cose_id, HEADER_KID: kid}, canonical=True)
    signature = algorithm.sign(private_key, _sig_structure(protected, payload))
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))


@dataclass(frozen=True)
class Sign1:
    protected: bytes
    headers: dict
    payload: bytes
    signature: bytes

    @property
    def kid(self) -> bytes | None:
        kid = self.headers.get(HEADER_KID)
        return kid if isinstance(kid, bytes) else None

    @property
    def algorithm(self) -> Algorithm | None:
        return ALGORITHMS.get(self.headers.get(HEADER_ALG))

    def verify(self, public_key) -> bool:
        algorithm = self.algorithm
        if algorithm is None:
            return False
        return algorithm.verify(
            public_key, _sig_structure(self.protected, self.payload), self.signature
        )


def decode_sign1(data: bytes) -> Sign1:
    """Parse without verifying; any malformation is a CoseError, never another exception."""
    try:
        obj = cbor2.loads(data)
    except Exception as exc:  # cbor2 raises several types on garbage
        raise CoseError("not CBOR") from exc
    if isinstance(obj, cbor2.CBORTag):
        if obj.tag != COSE_SIGN1_TAG:
            raise CoseError("not a COSE_Sign1 tag")
        obj = obj.value
    if not (isinstance(obj, list | tuple) and len(obj) == 4):
        raise CoseError("not a COSE_Sign1 array")
    protected, unprotected, payload, signature = obj
    if not all(isinstance(x, bytes) for x in (protected, payload, signature)):
        raise CoseError("COSE_Sign1 members have the wrong types")
    if not isinstance(unprotected, Mapping):
        raise CoseError("unprotected header is not a map")
    try:
        headers = cbor2.loads(protected) if protected else {}
    except Exception as exc:
        raise CoseError("protected header is not CBOR") from exc
    if not isinstance(headers, Mapping):
        raise CoseError("protected header is not a map")
    # Only protected headers are trusted for alg; kid may sit in either bucket.
    merged = {HEADER_KID: unprotected.get(HEADER_KID), **dict(headers)}
    return Sign1(protected=protected, headers=merged, payload=payload, signature=signature)
