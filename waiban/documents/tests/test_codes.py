"""The signed code and its verdicts, without a database: what any offline checker sees."""

import datetime as dt
import zlib

import base45
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from waiban.documents import codec, cose, trust
from waiban.documents.keys import make_certificate
from waiban.documents.trust import Status

NOW = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)


class Office:
    """A root and its signers, in memory."""

    def __init__(self, name="Test office"):
        from cryptography import x509
        from cryptography.x509.oid import NameOID

        self.x509, self.oid = x509, NameOID
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root_name = self._name(f"{name} root")
        self.root_cert = make_certificate(
            subject_key=self.root_key,
            issuer_key=self.root_key,
            subject=self.root_name,
            issuer=self.root_name,
            days=3650,
            is_ca=True,
            now=NOW - dt.timedelta(days=400),
        )
        self.signers = []
        self.revoked = set()

    def _name(self, cn):
        return self.x509.Name([self.x509.NameAttribute(self.oid.COMMON_NAME, cn)])

    def new_signer(self, *, start=NOW - dt.timedelta(days=10), days=90):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = make_certificate(
            subject_key=key,
            issuer_key=self.root_key,
            subject=self._name(f"signer {len(self.signers)}"),
            issuer=self.root_name,
            days=days,
            is_ca=False,
            now=start,
        )
        self.signers.append((key, cert))
        return key, cert

    def bundle(self, *, sequence=1, signers=None) -> trust.TrustBundle:
        data = trust.bundle_build(
            signers=[c for _k, c in (signers if signers is not None else self.signers)],
            revoked=self.revoked,
            issued_at=int(NOW.timestamp()),
            sequence=sequence,
            issuer="test",
            root_key=self.root_key,
            root_cert=self.root_cert,
        )
        return trust.bundle_parse(data, self.root_cert.public_key())


def facts():
    return codec.Facts(
        kind="approval",
        title="赴德国、法国经贸考察团",
        office="测试外办",
        unit="测试单位",
        case_number="2026-0000001",
        members=[codec.Member("张伟", "ZHANG WEI", "测试单位", "处长")],
        countries=["DE", "FR"],
        departure="2026-06-01",
        return_date="2026-06-07",
    )


def sign(signer, *, number="外办批〔2026〕1号", version=1, issued=NOW, expires=None):
    key, cert = signer
    claims = codec.Claims(
        issuer="450000",
        issued_at=int(issued.timestamp()),
        expires_at=int((expires or NOW + dt.timedelta(days=60)).timestamp()),
        document_id=codec.document_id(number, version),
        facts=facts(),
    )
    raw = cose.sign1(payload=codec.claims_to_cbor(claims), private_key=key, kid=trust.key_id(cert))
    return codec.wrap(raw)


@pytest.fixture
def office():
    office = Office()
    office.new_signer()
    return office


def test_a_fresh_code_is_valid_and_states_the_facts(office):
    verdict = trust.verify_code(sign(office.signers[0]), office.bundle(), now=NOW)
    assert verdict.status == Status.VALID
    assert verdict.claims.facts.members[0].name_zh == "张伟"
    assert verdict.claims.number == "外办批〔2026〕1号" and verdict.claims.version == 1


def test_the_code_is_short_alphanumeric_text_with_the_prefix(office):
    text = sign(office.signers[0])
    assert text.startswith("WB1:") and len(text) < 1200
    assert set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def test_flipping_one_byte_of_the_signed_payload_gives_tampered(office):
    raw = codec.unwrap(sign(office.signers[0]))
    envelope = cose.decode_sign1(raw)
    payload = bytearray(envelope.payload)
    payload[len(payload) // 2] ^= 0x01
    import cbor2

    forged = cbor2.dumps(
        cbor2.CBORTag(18, [envelope.protected, {}, bytes(payload), envelope.signature])
    )
    verdict = trust.verify_code(codec.wrap(forged), office.bundle(), now=NOW)
    assert verdict.status == Status.TAMPERED


def test_flipping_a_byte_of_the_compressed_code_gives_tampered(office):
    text = sign(office.signers[0])
    compressed = bytearray(base45.b45decode(text[4:]))
    compressed[10] ^= 0xFF
    altered = "WB1:" + base45.b45encode(bytes(compressed)).decode()
    assert trust.verify_code(altered, office.bundle(), now=NOW).status == Status.TAMPERED


def test_a_truncated_code_gives_tampered_not_an_error(office):
    text = sign(office.signers[0])
    for cut in (5, len(text) // 2, len(text) - 1):
        assert trust.verify_code(text[:cut], office.bundle(), now=NOW).status == Status.TAMPERED


@pytest.mark.parametrize(
    "text", ["", "hello", "HC1:NCFOXN%TS3DH", "https://example.com/", "\x00\xff" * 50, "WB1"]
)
def test_foreign_text_is_not_a_waiban_code(office, text):
    assert trust.verify_code(text, office.bundle(), now=NOW).status == Status.NOT_WAIBAN


def test_our_prefix_around_garbage_gives_tampered(office):
    garbage = "WB1:" + base45.b45encode(zlib.compress(b"\xa1\x01\x02")).decode()
    assert trust.verify_code(garbage, office.bundle(), now=NOW).status == Status.TAMPERED


def test_a_code_from_another_issuer_has_an_unknown_signer(office):
    stranger = Office("Another office")
    stranger.new_signer()
    verdict = trust.verify_code(sign(stranger.signers[0]), office.bundle(), now=NOW)
    assert verdict.status == Status.UNKNOWN_SIGNER


def test_a_signer_certificate_the_root_did_not_issue_is_not_trusted(office):
    stranger = Office("Another office")
    foreign_signer = stranger.new_signer()
    bundle = office.bundle(signers=office.signers + [foreign_signer])
    assert trust.key_id(foreign_signer[1]) not in bundle.signers
    assert trust.verify_code(sign(foreign_signer), bundle, now=NOW).status == Status.UNKNOWN_SIGNER


def test_a_revoked_document_gives_revoked(office):
    office.revoked.add(trust.revocation_key("450000", "外办批〔2026〕1号#1"))
    bundle = office.bundle()
    assert trust.verify_code(sign(office.signers[0]), bundle, now=NOW).status == Status.REVOKED
    newer = sign(office.signers[0], version=2)
    assert trust.verify_code(newer, bundle, now=NOW).status == Status.VALID


def test_a_code_past_its_expiry_gives_expired(office):
    text = sign(office.signers[0], expires=NOW + dt.timedelta(days=1))
    later = NOW + dt.timedelta(days=2)
    assert trust.verify_code(text, office.bundle(), now=later).status == Status.EXPIRED


def test_a_document_signed_by_a_retired_key_still_verifies_with_the_bundle_that_lists_it(
    office,
):
    old_signer = office.signers[0]
    text = sign(old_signer)
    office.new_signer(start=NOW)  # rotation: the old key retires, the bundle keeps it
    later = NOW + dt.timedelta(days=30)
    assert trust.verify_code(text, office.bundle(sequence=2), now=later).status == Status.VALID
    dropped = office.bundle(sequence=3, signers=office.signers[1:])
    assert trust.verify_code(text, dropped, now=later).status == Status.UNKNOWN_SIGNER


def test_a_code_signed_outside_the_keys_validity_is_not_trusted(office):
    signer = office.new_signer(start=NOW - dt.timedelta(days=200), days=90)
    text = sign(signer, issued=NOW)
    assert trust.verify_code(text, office.bundle(), now=NOW).status == Status.UNKNOWN_SIGNER


def test_a_bundle_signed_by_another_root_is_refused(office):
    stranger = Office("Another office")
    data = trust.bundle_build(
        signers=[],
        revoked=set(),
        issued_at=0,
        sequence=1,
        issuer="x",
        root_key=stranger.root_key,
        root_cert=stranger.root_cert,
    )
    with pytest.raises(trust.BundleError):
        trust.bundle_parse(data, office.root_cert.public_key())


def test_the_key_id_is_the_first_eight_bytes_of_the_certificate_hash(office):
    import hashlib

    from cryptography.hazmat.primitives import serialization

    cert = office.signers[0][1]
    der = cert.public_bytes(serialization.Encoding.DER)
    assert trust.key_id(cert) == hashlib.sha256(der).digest()[:8]


def test_a_zip_bomb_is_refused_as_damaged(office):
    bomb = "WB1:" + base45.b45encode(zlib.compress(b"\0" * 10_000_000)).decode()
    assert trust.verify_code(bomb, office.bundle(), now=NOW).status == Status.TAMPERED
