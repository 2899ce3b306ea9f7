"""The audit trail. Call ``audit_record`` inside the transaction of the change it describes."""

import datetime as dt
import decimal
import ipaddress
import json
import uuid

from django.db import transaction
from django.utils import timezone

from waiban.core.audit_chain import chain_of, lock_chain_head
from waiban.core.middleware import current_client_ip, current_user_agent
from waiban.core.models import AuditEvent

# Never written to the audit trail in clear: personal data is recorded as changed, not as values.
REDACTED_FIELDS = {"id_number", "phone", "password", "passport_number"}


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def _clean(values: dict | None) -> dict:
    cleaned = {}
    for key, value in (values or {}).items():
        cleaned[key] = "[redacted]" if key in REDACTED_FIELDS and value else _jsonable(value)
    return cleaned


def audit_record(
    *, actor, action: str, obj, old=None, new=None, object_type: str = ""
) -> AuditEvent:
    """``obj`` may be None for an event about no row (a log-in with an unknown user name): then
    ``object_type`` names what it was about. The row is sealed into the hash chain."""
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        # As the JSON column will give them back, so that the seal covers what is stored.
        old_values=json.loads(json.dumps(_clean(old))),
        new_values=json.loads(json.dumps(_clean(new))),
        ip=_address(current_client_ip()),
        user_agent=current_user_agent()[:255],
    )
    if transaction.get_connection().in_atomic_block:
        _seal_and_insert(event)  # the change's own transaction: no savepoint needed
    else:
        with transaction.atomic():
            _seal_and_insert(event)
    return event


def _seal_and_insert(event) -> None:
    lock_chain_head()
    last = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "chain")
        .first()
    )
    event.seq = last[0] + 1 if last else 1
    event.chain = chain_of(last[1] if last else "", _row(event))
    event.save(force_insert=True)


def _row(event) -> dict:
    return {
        "seq": event.seq,
        "at": event.at,
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "old_values": event.old_values,
        "new_values": event.new_values,
        "ip": event.ip,
        "user_agent": event.user_agent,
    }


def _address(ip):
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


def model_values(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}
