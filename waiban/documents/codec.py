"""The text inside a document's QR code: ``WB1:`` + Base45(zlib(COSE_Sign1(CWT))).

The CWT (RFC 8392) carries issuer (the office code), issued-at, expiry and the document id
(``number#version``) and, under a private claim, a compact map of the facts a checker needs.
No ID numbers, passport numbers or other private data go in: the code is read by strangers.
No Django here: the offline verifier uses this module.
"""

import datetime as dt
import zlib
from dataclasses import dataclass, field

import base45
import cbor2

PREFIX = "WB1:"
CLAIM_ISS, CLAIM_EXP, CLAIM_IAT, CLAIM_CTI = 1, 4, 6, 7
CLAIM_FACTS = -65537  # private-use claim key (RFC 8392 §9.1: < -65536)
MAX_INFLATED = 16 * 1024  # a real payload is ~1 KB; refuse zip bombs

# What each document kind is called: the paper's own Chinese title and an English label, for
# every verifier (the offline one has no Django catalogue). The web pages translate the English.
KIND_NAMES = {
    "approval": ("批件", "Approval document"),
    "task_form": ("出国任务审批表", "Task approval form"),
    "passport_form": ("因公出国（境）护照/证件申请表", "Passport application form"),
    "visa_note": ("照会", "Visa note"),
}


def kind_names(kind: str) -> tuple[str, str]:
    """(Chinese, English) for a kind; a kind this verifier does not know is shown as its code."""
    return KIND_NAMES.get(kind, (kind, kind))


class CodecError(ValueError):
    """Text that does not decode to a Waiban payload. ``foreign`` when it is not ours at all."""

    def __init__(self, message: str, *, foreign: bool = False):
        super().__init__(message)
        self.foreign = foreign


@dataclass
class Member:
    name_zh: str
    pinyin: str
    unit: str
    post: str


@dataclass
class Facts:
    """What the code states, in the form printed beside it."""

    kind: str
    title: str
    office: str
    unit: str
    case_number: str
    members: list[Member]
    countries: list[str]
    departure: str
    return_date: str

    def to_cbor_map(self) -> dict:
        return {
            "k": self.kind,
            "t": self.title,
            "o": self.office,
            "u": self.unit,
            "cn": self.case_number,
            "m": [[m.name_zh, m.pinyin, m.unit, m.post] for m in self.members],
            "c": self.countries,
            "d": [self.departure, self.return_date],
        }

    @classmethod
    def from_cbor_map(cls, data: dict) -> "Facts":
        try:
            members = [Member(*[str(x) for x in row]) for row in data["m"]]
            departure, return_date = data["d"]
            return cls(
                kind=str(data["k"]),
                title=str(data["t"]),
                office=str(data.get("o", "")),
                unit=str(data.get("u", "")),
                case_number=str(data.get("cn", "")),
                members=members,
                countries=[str(c) for c in data["c"]],
                departure=str(departure),
                return_date=str(return_date),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CodecError("the facts map is incomplete") from exc


@dataclass
class Claims:
    issuer: str
    issued_at: int
    expires_at: int
    document_id: str  # "number#version"
    facts: Facts
    extra: dict = field(default_factory=dict)

    @property
    def number(self) -> str:
        return self.document_id.rpartition("#")[0]

    @property
    def version(self) -> int:
        tail = self.document_id.rpartition("#")[2]
        return int(tail) if tail.isdigit() else 0

    def issued_at_dt(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.issued_at, tz=dt.UTC)

    def expires_at_dt(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.expires_at, tz=dt.UTC)


def document_id(number: str, version: int) -> str:
    return f"{number}#{version}"


def claims_to_cbor(claims: Claims) -> bytes:
    return cbor2.dumps(
        {
            CLAIM_ISS: claims.issuer,
            CLAIM_IAT: claims.issued_at,
            CLAIM_EXP: claims.expires_at,
            CLAIM_CTI: claims.document_id.encode(),
            CLAIM_FACTS: claims.facts.to_cbor_map(),
        },
        canonical=True,
    )


def claims_from_cbor(data: bytes) -> Claims:
    try:
        raw = cbor2.loads(data)
        facts = Facts.from_cbor_map(raw[CLAIM_FACTS])
        return Claims(
            issuer=str(raw[CLAIM_ISS]),
            issued_at=int(raw[CLAIM_IAT]),
            expires_at=int(raw[CLAIM_EXP]),
            document_id=bytes(raw[CLAIM_CTI]).decode(),
            facts=facts,
        )
    except CodecError:
        raise
    except Exception as exc:
        raise CodecError("the signed content is not a Waiban claim set") from exc


def wrap(cose_bytes: bytes) -> str:
    return PREFIX + base45.b45encode(zlib.compress(cose_bytes, 9)).decode("ascii")


def unwrap(text: str) -> bytes:
    """QR text -> COSE bytes. Raises CodecError (foreign=True when the prefix is not ours)."""
    text = (text or "").strip()
    if not text.startswith(PREFIX):
        raise CodecError("this is not a Waiban code", foreign=True)
    try:
        compressed = base45.b45decode(text[len(PREFIX) :])
        inflater = zlib.decompressobj()
        data = inflater.decompress(compressed, MAX_INFLATED)
        if inflater.unconsumed_tail or not inflater.eof:
            raise CodecError("the code is damaged or incomplete")
    except CodecError:
        raise
    except Exception as exc:  # base45 raises ValueError, zlib raises zlib.error
        raise CodecError("the code is damaged or incomplete") from exc
    return data
