"""Control lists in the demo: imported through the real import service (so screening finds
the hits as it would after a real import), with one exact match on a case waiting for approval,
one possible (pinyin) match on a case under review, and one hit a reviewer has already cleared.

The office then sees the hits in its queue and the stopped cases; the unit sees only that the
office will check its application."""

import io

from openpyxl import Workbook

from waiban.core.spreadsheets import workbook_bytes
from waiban.demo.catalog import DEMO_UNIT
from waiban.visits.models import Delegation
from waiban.visits.states import State
from waiban.watchlists.importing.columns import COLUMNS
from waiban.watchlists.importing.service import control_list_import
from waiban.watchlists.models import ListKind, ScreeningHit
from waiban.watchlists.services import screening_hit_decide

# People who are on no demo unit's staff: a list is mostly strangers.
STRANGERS = [
    ("祁东海", "1968-03-14", "国家监委通报 2024-17"),
    ("万丽萍", "1975-11-02", "省纪委监委 2025-03"),
    ("Zhao Hongbin", "1971-06-30", "公安部出入境管理局 2025-09"),
    ("冯启明", "1980-01-21", "省公安厅 2026-02"),
]


def _workbook(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.header for column in COLUMNS])
    for row in rows:
        sheet.append([row.get(column.key, "") for column in COLUMNS])
    buffer = io.BytesIO(workbook_bytes(workbook))
    buffer.name = "demo-list.xlsx"
    return buffer


def _traveller_of(state: str, *, authority, unit=None, exclude=()):
    """A case in ``state`` (of ``unit`` first) and a member of it who is on no other case still
    screened, so that the list stops that one case only."""
    from waiban.watchlists.screening import rescreen_states

    cases = (
        Delegation.objects.filter(state=state, authority=authority)
        .exclude(pk__in=exclude)
        .order_by("pk")
    )
    if unit is not None:
        cases = sorted(cases, key=lambda case: case.unit_id != unit.pk)
    for case in cases:
        for member in case.members.select_related("person").order_by("pk"):
            others = member.person.memberships.filter(
                delegation__state__in=rescreen_states()
            ).exclude(delegation=case)
            if not others.exists():
                return case, member.person
    return None, None


def create_demo_lists(org) -> list[ScreeningHit]:
    reviewer = org.accounts["reviewer"]
    rows = [
        {"name": name, "birth_date": born, "source": source} for name, born, source in STRANGERS
    ]
    waiting, listed = _traveller_of(
        State.PENDING_APPROVAL, authority=reviewer.authority, unit=org.units[DEMO_UNIT]
    )
    if listed is not None:  # exact: the ID number is on the list
        rows.append(
            {
                "name": listed.name_zh,
                "birth_date": listed.birth_date.isoformat(),
                "id_number": listed.id_number,
                "source": "省纪委监委 2026-11",
            }
        )
    reviewed, namesake = _traveller_of(
        State.UNDER_REVIEW, authority=reviewer.authority, exclude=[waiting.pk] if waiting else []
    )
    if namesake is not None:  # possible: the same name in pinyin, the same birth date
        rows.append(
            {
                "name": f"{namesake.surname_pinyin} {namesake.given_name_pinyin}".strip(),
                "birth_date": namesake.birth_date.isoformat(),
                "source": "公安部出入境管理局 2026-10",
            }
        )
    control_list_import(
        actor=reviewer,
        file=_workbook(rows),
        kind=ListKind.NOT_ALLOWED_TO_EXIT,
        name="不准出境人员名单",
        default_source="省公安厅",
    )
    # A second list on which a traveller's namesake was found and cleared by the reviewer, so
    # the hit history shows a decision.
    cleared_case, twin = _traveller_of(
        State.APPROVED,
        authority=reviewer.authority,
        exclude=[c.pk for c in (waiting, reviewed) if c],
    )
    if twin is not None:
        control_list_import(
            actor=reviewer,
            file=_workbook(
                [
                    {
                        "name": twin.name_zh,
                        "birth_date": twin.birth_date.isoformat(),
                        "source": "省外办登记备案 2026",
                    }
                ]
            ),
            kind=ListKind.REGISTERED,
            name="登记备案人员名单",
            default_source="省外办",
        )
        for hit in ScreeningHit.objects.filter(delegation=cleared_case, person=twin):
            screening_hit_decide(
                hit=hit,
                actor=reviewer,
                decision=ScreeningHit.Status.CLEARED,
                reason="出生地与名单记载不同，经核对身份证件不是同一人。",
            )
    return list(ScreeningHit.objects.all())
