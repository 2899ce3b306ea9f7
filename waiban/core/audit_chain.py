"""The audit trail as a hash chain (tamper evidence): each row carries
HMAC(key, previous row's chain || the row's own content), in the order of ``seq``.

The key lives outside the database (WAIBAN_AUDIT_KEY): someone who can edit rows in the
database cannot recompute the chain, so an edited, inserted or deleted row breaks it at that
row, and ``audit_chain_verify`` names the first one.

Appends are serialised so that two writers never both extend the same row (a fork): on
PostgreSQL a transaction-scoped advisory lock taken just before the append, held until commit;
on SQLite every write transaction already holds the database's single write lock from its
BEGIN (transaction_mode IMMEDIATE in settings). The cost per row is one indexed read of the
last row and one HMAC.
"""

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

AUDIT_CHAIN_LOCK = 0x57A1BA0A  # pg_advisory_xact_lock id of the chain's head
CHAINED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "old_values",
    "new_values",
    "ip",
    "user_agent",
)


def chain_key() -> bytes:
    key = settings.AUDIT_CHAIN_KEY or f"audit-chain:{settings.SECRET_KEY}"
    return key.encode()


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def row_content(row: dict) -> bytes:
    """The bytes a row is sealed over: its fields, as stored, in a fixed JSON form."""
    plain = {name: _plain(row.get(name)) for name in CHAINED_FIELDS}
    return json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_of(previous: str, row: dict, key: bytes | None = None) -> str:
    return hmac.new(
        key or chain_key(), previous.encode() + b"\n" + row_content(row), hashlib.sha256
    ).hexdigest()


def lock_chain_head(using: str = "default") -> None:
    """Serialise appends until the current transaction ends (PostgreSQL); see the module."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_id: int | None = None  # the first row that does not fit the chain
    broken_seq: int | None = None
    problem: str = ""  # "changed", "missing", "unsealed"

    @property
    def intact(self) -> bool:
        return not self.problem


def audit_chain_verify() -> ChainReport:
    """Walk the whole chain in order; the first row that does not fit, or None."""
    from waiban.core.models import AuditEvent

    unsealed = AuditEvent.objects.filter(seq__isnull=True).order_by("id").first()
    if unsealed is not None:
        return ChainReport(0, unsealed.id, None, "unsealed")
    key = chain_key()
    previous, expected_seq, checked = "", 1, 0
    rows = AuditEvent.objects.order_by("seq").values("id", "chain", *CHAINED_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        if row["seq"] != expected_seq:
            # Rows expected_seq … row.seq-1 were deleted: the row after the gap is named.
            return ChainReport(checked, row["id"], expected_seq, "missing")
        if not hmac.compare_digest(row["chain"], chain_of(previous, row, key)):
            return ChainReport(checked, row["id"], row["seq"], "changed")
        previous, expected_seq, checked = row["chain"], expected_seq + 1, checked + 1
    return ChainReport(checked)
