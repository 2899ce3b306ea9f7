"""Which organisations a user may see. Everything outside is a 404, never a 403."""

from waiban.accounts.roles import OFFICE_ROLES, UNIT_ROLES
from waiban.core.shared import shared_forget, shared_get, wanted_on_every_page

AUTHORITY_TREE_CACHE_KEY = "waiban:authority-tree"
# The tree changes a few times a year (an office is added or re-parented in the admin). Saving
# an authority forgets the cached tree at once in that process (waiban.accounts.signals); with
# one cache per process, other processes see the change within this many seconds.
AUTHORITY_TREE_SECONDS = 300


@wanted_on_every_page
def _tree_key(request) -> str | None:
    # Every office page works out the user's scope.
    user = getattr(request, "user", None)
    return AUTHORITY_TREE_CACHE_KEY if getattr(user, "role", None) in OFFICE_ROLES else None


def authority_tree() -> dict[int, tuple[int | None, bool]]:
    """Every authority as id -> (parent id, sees subordinates' cases), read once and cached:
    every office page asks for its scope, and walking the tree cost one query per level."""
    from waiban.accounts.models import Authority

    def load():
        return {
            pk: (parent_id, handles)
            for pk, parent_id, handles in Authority.objects.values_list(
                "pk", "parent_id", "handles_subordinate_cases"
            )
        }

    return shared_get(AUTHORITY_TREE_CACHE_KEY, load, AUTHORITY_TREE_SECONDS)


def forget_authority_tree() -> None:
    shared_forget(AUTHORITY_TREE_CACHE_KEY)


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
    tree = authority_tree() if user.role in OFFICE_ROLES and user.authority_id else {}
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
