"""Which organisations a user may see. Everything outside is a 404, never a 403."""

from waiban.accounts.roles import OFFICE_ROLES, UNIT_ROLES


def visible_authority_ids(user) -> list[int]:
    """The authorities whose cases ``user`` sees; worked out once per user object (a request
    asks several times: the page, its panels, the menu badges)."""
    cached = getattr(user, "_visible_authority_ids", None)
    if cached is not None:
        return cached
    if user.role not in OFFICE_ROLES or not user.authority_id:
        ids = []
    elif user.authority.handles_subordinate_cases:
        ids = user.authority.descendant_ids()
    else:
        ids = [user.authority_id]
    user._visible_authority_ids = ids
    return ids


def unit_filter(user, unit_field: str = "unit") -> dict | None:
    """Queryset filter kwargs limiting rows to what ``user`` may see; None means nothing."""
    if user.role in UNIT_ROLES:
        return {f"{unit_field}_id": user.unit_id} if user.unit_id else None
    if user.role in OFFICE_ROLES:
        return {f"{unit_field}__authority_id__in": visible_authority_ids(user)}
    return None
