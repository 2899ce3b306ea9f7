"""Which organisations a user may see. Everything outside is a 404, never a 403."""

from waiban.accounts.roles import OFFICE_ROLES, UNIT_ROLES
from waiban.core.reference import reference


@reference("waiban:authority-tree", sources=("accounts.Authority",))
def authority_tree() -> dict[int, tuple[int | None, bool]]:
    """Every authority as id -> (parent id, sees subordinates' cases): every office page asks
    for its scope, and walking the tree cost one query per level."""
    from waiban.accounts.models import Authority

    return {
        pk: (parent_id, handles)
        for pk, parent_id, handles in Authority.objects.values_list(
            "pk", "parent_id", "handles_subordinate_cases"
        )
    }


@reference("waiban:unit-names", sources=("accounts.Unit",))
def unit_names() -> list[tuple[int, str, int]]:
    """Every unit as (id, name, authority id), by name: the workbench's unit filter lists
    hundreds of them on every visit, and they change a few times a year."""
    from waiban.accounts.models import Unit

    return list(Unit.objects.order_by("name", "pk").values_list("pk", "name", "authority_id"))


def visible_units(user) -> list[tuple[int, str]]:
    """(id, name) of the units whose cases ``user`` sees, by name."""
    visible = set(visible_authority_ids(user))
    return [(pk, name) for pk, name, authority_id in unit_names.get() if authority_id in visible]


def _with_descendants(tree, root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pk, (parent_id, _handles) in tree.items():
        children.setdefault(parent_id, []).append(pk)
    ids, frontier = [root], [root]
    while frontier:
        frontier = sorted(child for pk in frontier for child in children.get(pk, ()))
        ids.extend(frontier)
    return ids


def visible_authority_ids(user) -> list[int]:
    """The authorities whose cases ``user`` sees; worked out once per user object (a request
    asks several times: the page, its panels, the menu badges)."""
    cached = getattr(user, "_visible_authority_ids", None)
    if cached is not None:
        return cached
    tree = authority_tree.get() if user.role in OFFICE_ROLES and user.authority_id else {}
    node = tree.get(user.authority_id)
    if node is None:
        ids = []
    elif node[1]:  # handles the cases of the offices below it
        ids = _with_descendants(tree, user.authority_id)
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
