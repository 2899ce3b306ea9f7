"""What the scale path draws from: units with their clerks, heads and a small pool of people.

Personal data is encrypted value by value (Fernet), which is the slow part of writing people, so
the scale path encrypts a pool of a few thousand people once and reuses them across delegations.
Past a few thousand delegations the province's other cities and their bureaus join in, so that
the cases spread over a few hundred units as in real life.
"""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from waiban.accounts.models import Authority, Unit, User
from waiban.accounts.roles import ApproverPosition, Role
from waiban.core.crypto import blind_index
from waiban.demo import catalog
from waiban.demo.identities import make_identity, make_name, make_uscc
from waiban.demo.organisation import DEMO_PASSWORD
from waiban.people.models import Person, Rank

OTHER_CITIES = [
    ("450400", "梧州市"),
    ("450500", "北海市"),
    ("450600", "防城港市"),
    ("450700", "钦州市"),
    ("450800", "贵港市"),
    ("450900", "玉林市"),
    ("451000", "百色市"),
    ("451100", "贺州市"),
    ("451200", "河池市"),
    ("451300", "来宾市"),
    ("451400", "崇左市"),
]
CITY_BUREAUS = [
    ("发展和改革委员会", "11"),
    ("教育局", "11"),
    ("科学技术局", "11"),
    ("工业和信息化局", "11"),
    ("财政局", "11"),
    ("人力资源和社会保障局", "11"),
    ("自然资源局", "11"),
    ("生态环境局", "11"),
    ("住房和城乡建设局", "11"),
    ("交通运输局", "11"),
    ("水利局", "11"),
    ("农业农村局", "11"),
    ("商务局", "11"),
    ("文化广电和旅游局", "11"),
    ("卫生健康委员会", "11"),
    ("市场监督管理局", "11"),
    ("林业局", "11"),
    ("体育局", "11"),
    ("投资促进局", "11"),
    ("大数据发展局", "11"),
    ("口岸管理办公室", "11"),
    ("人民医院", "12"),
    ("中医医院", "12"),
    ("职业技术学院", "12"),
    ("港口管理局", "11"),
    ("外事侨务办公室", "11"),
    ("民族宗教事务委员会", "11"),
    ("统计局", "11"),
    ("审计局", "11"),
    ("应急管理局", "11"),
]
POOL_POSTS = [
    ("局长", Rank.DIVISION_FULL),
    ("副局长", Rank.DIVISION_DEPUTY),
    ("副局长", Rank.DIVISION_DEPUTY),
    ("综合科科长", Rank.SECTION),
    ("业务科科长", Rank.SECTION),
    ("业务科副科长", Rank.SECTION),
    ("一级科员", Rank.OTHER),
    ("科员", Rank.OTHER),
]


@dataclass
class UnitPool:
    unit_id: int
    authority_id: int
    short_name: str
    clerk_id: int
    head_id: int
    people: list[tuple[int, str, str]] = field(default_factory=list)  # (id, rank, post)


@dataclass
class Pool:
    units: list[UnitPool]
    office: dict[str, int]  # window, reviewer, division_head, office_leader


def add_units(rng: random.Random, count: int) -> int:
    """Up to ``count`` more city bureaus with 8 people, a clerk and a head each."""
    authorities = {a.code: a for a in Authority.objects.all()}
    province = authorities[catalog.PROVINCE_CODE]
    for code, city in OTHER_CITIES:
        if code not in authorities:
            authorities[code] = Authority.objects.create(
                code=code, name=f"{city}人民政府外事办公室", level="city", parent=province
            )
    cities = [(a.code, a.name.replace("人民政府外事办公室", "")) for a in authorities.values()]
    cities = [(code, name) for code, name in cities if code.endswith("00") and code != "450000"]
    existing = set(Unit.objects.values_list("name", flat=True))
    wanted = [
        (code, f"{city}{bureau}", prefix)
        for bureau, prefix in CITY_BUREAUS
        for code, city in cities
        if f"{city}{bureau}" not in existing
    ][:count]
    if not wanted:
        return 0
    units = Unit.objects.bulk_create(
        [
            Unit(
                name=name,
                level=Unit.Level.CITY,
                authority=authorities[code],
                uscc=make_uscc(prefix=prefix, area=code, rng=rng),
            )
            for code, name, prefix in wanted
        ]
    )
    password = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 per user would take minutes
    first = (User.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    users = []
    for i, unit in enumerate(units):
        for role, suffix in ((Role.UNIT_CLERK, "clerk"), (Role.UNIT_HEAD, "head")):
            users.append(
                User(
                    username=f"b{first + i:05d}-{suffix}",
                    password=password,
                    role=role,
                    unit=unit,
                    full_name=make_name(rng, rng.choice("MF")),
                )
            )
    User.objects.bulk_create(users)
    taken: set[str] = set()
    people = []
    for unit in units:
        areas = [unit.authority.code[:4] + "02", unit.authority.code[:4] + "03"]
        for post, rank in POOL_POSTS:
            data = make_identity(rng, areas=areas, taken=taken)
            people.append(
                Person(
                    unit=unit,
                    post=post,
                    rank=rank,
                    id_number_hash=blind_index(data["id_number"]),
                    phone_hash=blind_index(data["phone"]),
                    **data,
                )
            )
    # ID numbers are unique across the table: drop the rare clash with an existing person.
    known = set(
        Person.objects.filter(id_number_hash__in=[p.id_number_hash for p in people]).values_list(
            "id_number_hash", flat=True
        )
    )
    Person.objects.bulk_create([p for p in people if p.id_number_hash not in known], 2000)
    return len(units)


def load_pool() -> Pool:
    short = {name: short for _k, name, short, *_rest in catalog.UNITS}
    clerks, heads = {}, {}
    for user_id, unit_id, role in User.objects.filter(
        role__in=[Role.UNIT_CLERK, Role.UNIT_HEAD], is_active=True
    ).values_list("id", "unit_id", "role"):
        (clerks if role == Role.UNIT_CLERK else heads).setdefault(unit_id, user_id)
    units = {}
    for unit_id, authority_id, name in Unit.objects.values_list("id", "authority_id", "name"):
        if unit_id in clerks and unit_id in heads:
            units[unit_id] = UnitPool(
                unit_id, authority_id, short.get(name, name), clerks[unit_id], heads[unit_id]
            )
    for person_id, unit_id, rank, post in Person.objects.filter(is_active=True).values_list(
        "id", "unit_id", "rank", "post"
    ):
        if unit_id in units:
            units[unit_id].people.append((person_id, rank, post))
    office = {}
    for role, position, key in [
        (Role.WINDOW_CLERK, "", "window"),
        (Role.REVIEWER, "", "reviewer"),
        (Role.APPROVER, ApproverPosition.DIVISION_HEAD, "division_head"),
        (Role.APPROVER, ApproverPosition.OFFICE_LEADER, "office_leader"),
    ]:
        office[key] = (
            User.objects.filter(role=role, approver_position=position)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
    return Pool(units=[u for u in units.values() if len(u.people) >= 2], office=office)
