"""Reads of delegations, always scoped to what the user may see.

Lists are cut into pages by keyset (a cursor holding the last row's sort key and id), never by
OFFSET: page 20,000 of the approved cases costs what page 1 costs. Each sort key is the column
with NULL replaced by a far-future value, so that the order is total and a row comparison
``(key, id) > (cursor)`` can walk one index (see the ``*_keyset`` indexes on Delegation).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from waiban.accounts.roles import OFFICE_ROLES, UNIT_ROLES, Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.core.calendar import WorkingCalendar
from waiban.visits.deadlines import sla_colour
from waiban.visits.models import (
    FAR_DATE,
    FAR_TIME,
    Delegation,
    DelegationMember,
    ItineraryStop,
)
from waiban.visits.states import OPEN_STATES, State

MAX_ID = 2**63 - 1  # BigAutoField: a larger number in a URL is no case, not an overflow

# Which queue each office role works on by default.
ROLE_QUEUE = {
    Role.WINDOW_CLERK: [State.PRE_REVIEW],
    Role.REVIEWER: [State.UNDER_REVIEW],
    Role.APPROVER: [State.PENDING_APPROVAL],
}


@dataclass(frozen=True)
class SortKey:
    """One sort order of a list: a column (NULL last when ascending) and the id as tiebreaker."""

    field: str
    descending: bool = False

    def far(self, model):
        internal = model._meta.get_field(self.field).get_internal_type()
        return FAR_TIME if internal == "DateTimeField" else FAR_DATE

    def expression(self, model):
        # The same expression as the indexes' (models.Delegation), or PostgreSQL will not
        # match them; a column that cannot be empty sorts as itself.
        if not model._meta.get_field(self.field).null:
            return F(self.field)
        return Coalesce(self.field, Value(self.far(model)))

    def value_of(self, model, row):
        value = row[self.field] if isinstance(row, dict) else getattr(row, self.field)
        return self.far(model) if value is None else value

    def parse(self, model, text):
        kind = type(self.far(model))
        value = kind.fromisoformat(text)
        if kind is dt.datetime and timezone.is_naive(value):
            raise ValueError("cursor time without an offset")
        return value


class RowCompare(Func):
    """``(a, b) > (c, d)``: one index range condition, unlike ``a > c OR (a = c AND b > d)``."""

    output_field = BooleanField()

    def __init__(self, columns, values, op):
        if op not in {"<", ">"}:
            raise ValueError(op)
        self.op = op
        super().__init__(*columns, *[Value(v) for v in values])

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        half = len(parts) // 2
        return f"({', '.join(parts[:half])}) {self.op} ({', '.join(parts[half:])})", params


@dataclass
class KeysetPage:
    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""
    keyset = True  # the pager template links cursors instead of page numbers

    def has_other_pages(self):
        return self.has_next or self.has_previous


def encode_cursor(sort: SortKey, model, row) -> str:
    pk = row["pk"] if isinstance(row, dict) else row.pk
    return f"{sort.value_of(model, row).isoformat()}~{pk}"


def decode_cursor(sort: SortKey, model, text: str | None):
    """(key, id) from a URL parameter; None for a missing or mangled one (the first page)."""
    if not text or "~" not in text:
        return None
    value, _, pk = text.rpartition("~")
    try:
        return sort.parse(model, value), int(pk)
    except ValueError:
        return None


def _page_queryset(qs, sort: SortKey, *, values, size, after, before, backwards):
    """The rows of one page, ``size`` + 1 of them, in the order they are read."""
    model = qs.model
    descending = sort.descending != backwards
    order = ["-sort_key", "-pk"] if descending else ["sort_key", "pk"]
    # The page's ids come from the table alone (with only the joins its filters need), the
    # rows with their joins from those ids: PostgreSQL estimates a row comparison from its
    # first column only, and ``key > max`` (every approved case has no deadline, so all sort
    # as FAR_DATE) looks like no rows at all; joined in one query, that turned a 51-row index
    # walk into a hash join of the whole state. A subquery with LIMIT is planned on its own.
    ids = qs.select_related(None).alias(sort_key=sort.expression(model))
    cursor = before or after
    if cursor:
        ids = ids.filter(RowCompare([F("sort_key"), F("pk")], cursor, "<" if descending else ">"))
    ids = ids.order_by(*order).values("pk")[: size + 1]
    rows = model._default_manager.filter(pk__in=ids).alias(sort_key=sort.expression(model))
    if values:  # the list's columns for the page's rows only, and the sort key of the cursors
        rows = values(rows, sort.field)
    else:
        rows.query.select_related = qs.query.select_related
    return rows.order_by(*order)


def keyset_page(source, sort: SortKey, *, size, after=None, before=None, values=None) -> KeysetPage:
    """One page of ``source`` (a queryset) in ``sort`` order, after or before a cursor: one
    query, size + 1 rows. ``values``: a function that makes the page's rows plain dicts
    (``list_values``), else they are model instances."""
    model = source.model
    after = decode_cursor(sort, model, after)
    before = None if after else decode_cursor(sort, model, before)
    backwards = before is not None
    cut = {"values": values, "size": size, "after": after, "before": before}
    cut["backwards"] = backwards
    rows = list(_page_queryset(source, sort, **cut))
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, after is not None
    return KeysetPage(
        object_list=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_cursor=encode_cursor(sort, model, rows[-1]) if rows and has_next else "",
        previous_cursor=encode_cursor(sort, model, rows[0]) if rows and has_previous else "",
    )


def delegation_scope(user):
    if user.role in (Role.UNIT_CLERK, Role.UNIT_HEAD):
        return Delegation.objects.filter(unit_id=user.unit_id)
    if user.role in OFFICE_ROLES:
        # Drafts are the unit's own business until submitted.
        return Delegation.objects.filter(authority_id__in=visible_authority_ids(user)).exclude(
            state=State.DRAFT
        )
    return Delegation.objects.none()


def delegation_get(*, user, pk) -> Delegation | None:
    """The case if ``user`` may see it, with its unit and office (the leader's row, whose
    personal data is decrypted on load, only when a page asks). ``pk`` may be the text of a
    form field or URL; one beyond any id is no case."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk <= MAX_ID:
        return None
    cases = delegation_scope(user).select_related("unit", "authority", "committed_by")
    return cases.filter(pk=pk).first()


def annotate_page(rows, *, calendar=None, today=None):
    """The traffic light of each row of a list page (rows of ``list_values``)."""
    calendar = calendar or WorkingCalendar()
    today = today or timezone.localdate()
    rows = list(rows)
    for row in rows:
        row["sla"] = sla_colour(
            state=row["state"], deadline=row["deadline"], today=today, calendar=calendar
        )
    return rows


# What a list row shows and the keyset sorts by, read as plain values: a page of 50 cases
# builds no model instances, and the rest of a case (its purpose, opinions) and the leader's
# personal data (decrypted on load) stay in the database.
LIST_FIELDS = (
    "pk",
    "case_number",
    "title",
    "unit__name",
    "leader__name_zh",
    "state",
    "deadline",
    "departure_date",
)


def list_values(qs, *extra_fields):
    """``qs`` as list rows: LIST_FIELDS (and ``extra_fields``) and the member count. The count
    is a subquery that keyset_page runs on the page's rows only: counting in the list query
    itself would join and group every matching case before the page is cut out of them."""
    members = (
        DelegationMember.objects.filter(delegation=OuterRef("pk"))
        .order_by()
        .values("delegation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.values(
        *LIST_FIELDS,
        *(name for name in extra_fields if name not in LIST_FIELDS),
        member_count=Coalesce(Subquery(members), Value(0)),
        # Whether the unit head has confirmed it, not when: no timestamp to read per row.
        committed=ExpressionWrapper(Q(committed_at__isnull=False), output_field=BooleanField()),
    )


def workbench_queryset(*, user, state=None, unit=None, country=None, overdue=False):
    """The workbench's cases, unordered: ``keyset_page`` with a WORKBENCH_SORTS key orders
    them (and ``list_values`` makes them list rows)."""
    qs = delegation_scope(user)
    if state:
        qs = qs.filter(state=state)
    elif user.role in ROLE_QUEUE:
        qs = qs.filter(state__in=ROLE_QUEUE[user.role])
    else:
        qs = qs.filter(state__in=OPEN_STATES)
    if user.role == Role.APPROVER and not state:
        qs = qs.filter(
            approval_steps__level=F("approval_level"),
            approval_steps__position=user.approver_position,
        )
    if unit:
        qs = qs.filter(unit_id=unit)
    if country:
        qs = qs.filter(
            Exists(ItineraryStop.objects.filter(delegation=OuterRef("pk"), country=country))
        )
    if overdue:
        qs = qs.filter(deadline__lt=timezone.localdate(), state__in=OPEN_STATES)
    return qs


WORKBENCH_SORTS = {
    "deadline": SortKey("deadline"),
    "-deadline": SortKey("deadline", descending=True),
    "submitted": SortKey("submitted_at"),
    "-submitted": SortKey("submitted_at", descending=True),
    "departure": SortKey("departure_date"),
}
UNIT_LIST_SORT = SortKey("created_at", descending=True)


OVERDUE_COUNT_CAP = 1000


def overdue_count(*, user, cap=OVERDUE_COUNT_CAP) -> int:
    """Overdue open cases, counted up to ``cap`` (the badge shows "1000+" beyond)."""
    overdue = delegation_scope(user).filter(
        state__in=OPEN_STATES, deadline__lt=timezone.localdate()
    )
    # Unordered: the model's default order would sort every overdue case before the cap.
    return overdue.order_by().values("pk")[:cap].count()


def unit_delegations(*, user, state=None, search=""):
    """The unit's cases, unordered (``keyset_page`` with UNIT_LIST_SORT and ``list_values``);
    ``search``: a case number (or its start), words of the title, or a traveller's name."""
    if user.role not in UNIT_ROLES:
        return Delegation.objects.none()
    qs = delegation_scope(user)
    if state == "awaiting_commitment":
        qs = qs.filter(Q(state__in=[State.DRAFT, State.SENT_BACK]) & Q(committed_at__isnull=True))
    elif state:
        qs = qs.filter(state=state)
    search = (search or "").strip()[:50]
    if search:
        travellers = DelegationMember.objects.filter(
            delegation=OuterRef("pk"), person__name_zh__icontains=search
        )
        qs = qs.filter(
            Q(case_number__startswith=search) | Q(title__icontains=search) | Exists(travellers)
        )
    return qs


def traveller_trips(*, user):
    """A traveller's own delegations, once submitted (drafts are the unit's working papers)."""
    if user.role != Role.TRAVELLER or not user.person_id:
        return Delegation.objects.none()
    return (
        Delegation.objects.filter(members__person_id=user.person_id)
        .exclude(state=State.DRAFT)
        .select_related("unit", "leader")
        .order_by("-departure_date", "-id")
    )
