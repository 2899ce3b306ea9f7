"""Trust bundle and verification, usable without Django (the offline verifier imports this).

The bundle is a COSE_Sign1 signed by the office's root key. It lists every signer certificate
still accepted (retired signers stay listed, so documents they signed keep verifying) and the ids
(``number#version``) of revoked documents. A checker needs the root public key once, and a copy
of the bundle as fresh as it can get.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from waiban.documents import codec, cose

BUNDLE_TYPE = "waiban-trust-bundle/1"
CLOCK_SKEW = dt.timedelta(minutes=5)


class BundleError(ValueError):
    pass


def key_id(certificate: x509.Certificate) -> bytes:
    """First 8 bytes of the SHA-256 of the DER certificate."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).digest()[:8]


def load_root_public_key(pem: bytes):
    """A root certificate or a bare public key, in PEM."""
    if b"BEGIN CERTIFICATE" in pem:
        return x509.load_pem_x509_certificate(pem).public_key()
    return serialization.load_pem_public_key(pem)


def revocation_key(issuer: str, document_id: str) -> str:
    """Document numbers are unique per office, so a revocation names the office too."""
    return f"{issuer}/{document_id}"


def issued_by(certificate: x509.Certificate, root_public_key) -> bool:
    try:
        root_public_key.verify(
            certificate.signature,
            certificate.tbs_certificate_bytes,
            ec.ECDSA(certificate.signature_hash_algorithm),
        )
    except Exception:
        return False
    return True


@dataclass
class TrustBundle:
    issued_at: int
    sequence: int
    signers: dict[bytes, x509.Certificate]
    revoked: set[str]
    issuer: str = ""

    def age(self, now: dt.datetime) -> dt.timedelta:
        return now - dt.datetime.fromtimestamp(self.issued_at, tz=dt.UTC)


def bundle_build(
    *, signers, revoked, issued_at: int, sequence: int, issuer: str, root_key, root_cert
) -> bytes:
    payload = cbor2.dumps(
        {
            "typ": BUNDLE_TYPE,
            "iss": issuer,
            "iat": issued_at,
            "seq": sequence,
            "signers": [c.public_bytes(serialization.Encoding.DER) for c in signers],
            "revoked": sorted(revoked),
        },
        canonical=True,
    )
    return cose.sign1(payload=payload, private_key=root_key, kid=key_id(root_cert))


def bundle_parse(data: bytes, root_public_key) -> TrustBundle:
    """Check the root's signature and keep only signer certificates the root issued."""
    try:
        envelope = cose.decode_sign1(data)
    except cose.CoseError as exc:
        raise BundleError("not a trust bundle") from exc
    if not envelope.verify(root_public_key):
        raise BundleError("the trust bundle is not signed by this root key")
    try:
        body = cbor2.loads(envelope.payload)
        if body.get("typ") != BUNDLE_TYPE:
            raise BundleError("unknown trust bundle type")
        certs = [x509.load_der_x509_certificate(der) for der in body["signers"]]
        revoked = {str(r) for r in body["revoked"]}
        bundle = TrustBundle(
            issued_at=int(body["iat"]),
            sequence=int(body["seq"]),
            signers={},
            revoked=revoked,
            issuer=str(body.get("iss", "")),
        )
    except BundleError:
        raise
    except Exception as exc:
        raise BundleError("the trust bundle is malformed") from exc
    for cert in certs:
        if issued_by(cert, root_public_key):
            bundle.signers[key_id(cert)] = cert
    return bundle


class Status(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    UNKNOWN_SIGNER = "unknown_signer"
    TAMPERED = "tampered"
    NOT_WAIBAN = "not_waiban_code"

    @property
    def label(self) -> str:
        return {"not_waiban_code": "NOT A WAIBAN CODE", "unknown_signer": "UNKNOWN SIGNER"}.get(
            self.value, self.value.upper()
        )


@dataclass
class Verdict:
    status: Status
    reason: str
    claims: codec.Claims | None = None
    kid: str = ""
    signer: str = ""
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = {"status": self.status.value, "label": self.status.label, "reason": self.reason}
        if self.claims:
            c = self.claims
            zh, en = codec.kind_names(c.facts.kind)
            out["document"] = {
                "id": c.document_id,
                "kind": {"code": c.facts.kind, "zh": zh, "en": en},
                "number": c.number,
                "version": c.version,
                "issuer": c.issuer,
                "issued_at": c.issued_at_dt().isoformat(),
                "expires_at": c.expires_at_dt().isoformat(),
                "facts": c.facts.to_cbor_map(),
            }
        if self.kid:
            out["kid"] = self.kid
        return out


def verify_code(text: str, bundle: TrustBundle, *, now: dt.datetime) -> Verdict:
    """Judge a QR text against a bundle. Never raises on bad input: every input gets a verdict."""
    try:
        raw = codec.unwrap(text)
    except codec.CodecError as exc:
        status = Status.NOT_WAIBAN if exc.foreign else Status.TAMPERED
        return Verdict(status, str(exc))
    try:
        envelope = cose.decode_sign1(raw)
    except cose.CoseError:
        return Verdict(Status.TAMPERED, "the code's signed structure is damaged")
    kid = envelope.kid or b""
    cert = bundle.signers.get(kid)
    if cert is None:
        return Verdict(Status.UNKNOWN_SIGNER, "no trusted key has this key id", kid=kid.hex())
    if envelope.algorithm is None:
        return Verdict(Status.TAMPERED, "unknown signature algorithm", kid=kid.hex())
    if not envelope.verify(cert.public_key()):
        return Verdict(Status.TAMPERED, "the signature does not match the content", kid=kid.hex())
    try:
        claims = codec.claims_from_cbor(envelope.payload)
    except codec.CodecError as exc:
        return Verdict(Status.TAMPERED, str(exc), kid=kid.hex())
    signer = cert.subject.rfc4514_string()
    issued = claims.issued_at_dt()
    if not (
        cert.not_valid_before_utc - CLOCK_SKEW <= issued <= cert.not_valid_after_utc + CLOCK_SKEW
    ):
        return Verdict(
            Status.UNKNOWN_SIGNER,
            "the code was signed outside the key's period of validity",
            claims=claims,
            kid=kid.hex(),
            signer=signer,
        )
    verdict = Verdict(Status.VALID, "", claims=claims, kid=kid.hex(), signer=signer)
    if revocation_key(claims.issuer, claims.document_id) in bundle.revoked:
        verdict.status, verdict.reason = Status.REVOKED, "the office has revoked this document"
    elif now > claims.expires_at_dt():
        verdict.status, verdict.reason = Status.EXPIRED, "the document's validity has ended"
    else:
        verdict.reason = "signed by the office; not revoked; not expired"
    return verdict
