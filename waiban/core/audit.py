"""The audit trail. Call ``audit_record`` inside the transaction of the change it describes."""

import datetime as dt
import decimal
import uuid

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
    ``object_type`` names what it was about."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        old_values=_clean(old),
        new_values=_clean(new),
        ip=current_client_ip(),
        user_agent=current_user_agent(),
    )


def model_values(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}
