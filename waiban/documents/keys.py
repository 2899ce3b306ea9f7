"""The office's keys: one root (long-lived, signs signer certificates and trust bundles) and
short-lived signer keys (sign documents). Private keys are PEM files encrypted with a passphrase
(``WAIBAN_SIGNING_KEY_PASSPHRASE``, by default derived from the secret key)."""

import datetime as dt
import hashlib
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.core.audit import audit_record
from waiban.core.errors import ServiceError
from waiban.documents.models import SigningKey
from waiban.documents.trust import key_id

ROOT_DAYS = 3650


def _passphrase() -> bytes:
    if settings.DOCUMENT_KEY_PASSPHRASE:
        return settings.DOCUMENT_KEY_PASSPHRASE.encode()
    return (
        hashlib.sha256(f"waiban-signing-keys:{settings.SECRET_KEY}".encode()).hexdigest().encode()
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.DOCUMENT_ISSUER_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_certificate(*, subject_key, issuer_key, subject, issuer, days, is_ca, now=None):
    now = now or timezone.now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=0 if is_ca else None), True)
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _store(*, role, private_key, certificate, actor) -> SigningKey:
    kid = key_id(certificate).hex()
    folder = settings.DOCUMENT_KEYS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{role}-{kid}.pem"
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    )
    path.write_bytes(pem)
    path.chmod(0o600)
    row = SigningKey.objects.create(
        role=role,
        kid=kid,
        certificate=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        key_file=path.name,
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
    )
    audit_record(
        actor=actor,
        action=f"documents.key_create_{role}",
        obj=row,
        new={"kid": kid, "not_after": row.not_after},
    )
    return row


def certificate_of(row: SigningKey) -> x509.Certificate:
    return _load_cert(row.certificate)


@lru_cache(maxsize=64)
def _load_cert(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


@lru_cache(maxsize=16)
def _load_private(path: str, passphrase: bytes):
    with open(path, "rb") as fh:
        return serialization.load_pem_private_key(fh.read(), password=passphrase)


def private_key_of(row: SigningKey):
    path = settings.DOCUMENT_KEYS_DIR / row.key_file
    if not path.exists():
        raise ServiceError(
            "signing_key_missing",
            _("The private key file of signing key %(kid)s is missing.") % {"kid": row.kid},
        )
    return _load_private(str(path), _passphrase())


def root_key() -> SigningKey | None:
    return SigningKey.objects.filter(role=SigningKey.Role.ROOT, is_active=True).first()


def root_create(*, actor=None, replace=False) -> SigningKey:
    """Create the office root. Replacing it invalidates every printed code: refused unless asked."""
    with transaction.atomic():
        current = root_key()
        if current and not replace:
            raise ServiceError("root_exists", _("The office root key already exists."))
        if current:
            SigningKey.objects.filter(role=SigningKey.Role.ROOT).update(
                is_active=False, retired_at=timezone.now()
            )
        private = ec.generate_private_key(ec.SECP256R1())
        name = _name(f"{settings.DOCUMENT_ISSUER_NAME} document root")
        cert = make_certificate(
            subject_key=private,
            issuer_key=private,
            subject=name,
            issuer=name,
            days=ROOT_DAYS,
            is_ca=True,
        )
        return _store(role=SigningKey.Role.ROOT, private_key=private, certificate=cert, actor=actor)


def signer_rotate(*, actor=None, days=None) -> SigningKey:
    """A new signer key, certified by the root; the previous signer retires but stays trusted,
    so the documents it signed keep verifying."""
    with transaction.atomic():
        root = root_key()
        if root is None:
            raise ServiceError("root_missing", _("Create the office root key first."))
        now = timezone.now()
        SigningKey.objects.filter(role=SigningKey.Role.SIGNER, is_active=True).update(
            is_active=False, retired_at=now
        )
        private = ec.generate_private_key(ec.SECP256R1())
        cert = make_certificate(
            subject_key=private,
            issuer_key=private_key_of(root),
            subject=_name(f"{settings.DOCUMENT_ISSUER_NAME} signer {now:%Y%m%d%H%M%S}"),
            issuer=certificate_of(root).subject,
            days=days or settings.DOCUMENT_SIGNER_DAYS,
            is_ca=False,
        )
        row = _store(
            role=SigningKey.Role.SIGNER, private_key=private, certificate=cert, actor=actor
        )
        from waiban.documents.services import trust_bundle_publish_later

        trust_bundle_publish_later()  # checkers must learn the new signer
        return row


def active_signer(*, actor=None) -> SigningKey:
    """The signer for a new document; expired signers are rotated, absent keys created when
    ``DOCUMENT_AUTO_KEYS`` allows it (development), otherwise it fails loudly."""
    now = timezone.now()
    signer = SigningKey.objects.filter(
        role=SigningKey.Role.SIGNER, is_active=True, not_after__gt=now
    ).first()
    if signer:
        return signer
    if not settings.DOCUMENT_AUTO_KEYS:
        raise ServiceError(
            "signer_missing",
            _("No valid signing key: run `manage.py documents_keys init` or `rotate`."),
        )
    if root_key() is None:
        root_create(actor=actor)
    return signer_rotate(actor=actor)


def trusted_signers() -> list[SigningKey]:
    """Every signer the root certified, active or retired: retired keys stay in the bundle."""
    return list(SigningKey.objects.filter(role=SigningKey.Role.SIGNER).order_by("created_at"))
