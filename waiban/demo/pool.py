"""What the scale path draws from: units with their clerks and heads, and their people, each
with a travel weight.

Past a few thousand delegations the rest of the province joins in (``province.unit_specs``: up
to 2,000 units in all) with its people (``travellers.add_people``). Who goes on a trip is drawn
by weight: a unit is chosen by the sum of its people's weights, then the members within it, so
a person's number of trips follows their own weight whatever the size of the unit. Weights are
skewed (most people travel a few times, a few often) and depend on the rank: bureau-level and
provincial leaders are bound by the frequency rule (about one trip in two years), division
heads lead most delegations, teaching and research staff are exempt from the limits.
"""

import random
from array import array
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from waiban.accounts.models import Authority, Unit, User
from waiban.accounts.roles import ApproverPosition, Role
from waiban.demo import catalog
from waiban.demo.identities import make_name, make_uscc
from waiban.demo.organisation import DEMO_PASSWORD
from waiban.demo.province import CITIES, unit_specs
from waiban.people.models import Person, Rank

# Relative travel frequency by rank (a section-level official: 1).
TRAVEL = {
    Rank.PROVINCIAL_FULL: 0.2,
    Rank.PROVINCIAL_DEPUTY: 0.25,
    Rank.BUREAU_FULL: 0.25,
    Rank.BUREAU_DEPUTY: 0.3,
    Rank.DIVISION_FULL: 1.4,
    Rank.DIVISION_DEPUTY: 1.3,
    Rank.SECTION: 1.0,
    Rank.OTHER: 0.8,
}
TEACHING_FACTOR = 1.2
SPREAD = 1.5  # shape of the gamma factor: the smaller, the more skewed
FREQUENT_SHARE, FREQUENT_FACTOR = 0.01, 4.0  # interpreters, trade promoters: the few who go often
MAX_WEIGHT = 6.0
SENIORITY = {rank: order for order, rank in enumerate(Rank.values)}  # 省部级正职 first


def travel_weight(rng: random.Random, rank: str, teaching: bool) -> float:
    weight = TRAVEL.get(rank, 1.0) * rng.gammavariate(SPREAD, 1 / SPREAD)
    if teaching:
        weight *= TEACHING_FACTOR
    if rng.random() < FREQUENT_SHARE:
        weight *= FREQUENT_FACTOR
    return min(max(weight, 0.01), MAX_WEIGHT)


@dataclass
class UnitPool:
    unit_id: int
    authority_id: int
    short_name: str
    clerk_id: int
    head_id: int
    # the people, compact: half a million of them stay in memory for the whole load
    ids: array = field(default_factory=lambda: array("q"))
    cum: array = field(default_factory=lambda: array("d"))  # cumulative travel weights
    info: list = field(default_factory=list)  # (rank, post), tuples shared between people

    @property
    def weight(self) -> float:
        return self.cum[-1] if self.cum else 0.0

    def add(self, person_id: int, info: tuple[str, str], weight: float) -> None:
        self.ids.append(person_id)
        self.cum.append(self.weight + weight)
        self.info.append(info)

    def draw(self, rng: random.Random, size: int) -> list[tuple[int, str, str]]:
        """``size`` different people (fewer if the unit has fewer), drawn by travel weight, as
        (id, rank, post), the most senior first: the delegation's leader."""
        count = len(self.ids)
        size = min(size, count)
        picked: dict[int, None] = {}
        for _ in range(20):  # a unit dominated by one frequent traveller may need a few rounds
            for index in rng.choices(range(count), cum_weights=self.cum, k=size):
                picked.setdefault(index)
                if len(picked) == size:
                    break
            if len(picked) == size:
                break
        else:
            rest = [i for i in range(count) if i not in picked]
            picked.update(dict.fromkeys(rng.sample(rest, size - len(picked))))
        order = sorted(picked, key=lambda i: SENIORITY[self.info[i][0]])
        return [(self.ids[i], *self.info[i]) for i in order]


@dataclass
class Pool:
    units: list[UnitPool]
    office: dict[str, int]  # window, reviewer, division_head, office_leader
    cum: list[float] = field(default_factory=list)  # cumulative weights of the units

    def pick_unit(self, rng: random.Random) -> UnitPool:
        return rng.choices(self.units, cum_weights=self.cum)[0]


def add_units(rng: random.Random, count: int) -> int:
    """Up to ``count`` more units of the province (``province.unit_specs``, in that order), each
    with a clerk and a head; their people come from ``travellers.add_people``."""
    if count <= 0:
        return 0
    authorities = {a.code: a for a in Authority.objects.all()}
    province = authorities[catalog.PROVINCE_CODE]
    for code, city in CITIES:
        if code not in authorities:
            authorities[code] = Authority.objects.create(
                code=code, name=f"{city}人民政府外事办公室", level="city", parent=province
            )
    existing = set(Unit.objects.values_list("name", flat=True))
    wanted = [spec for spec in unit_specs() if spec.name not in existing][:count]
    if not wanted:
        return 0
    codes = set(Unit.objects.values_list("uscc", flat=True))
    units = []
    for spec in wanted:
        # a county's cases go to its own office where there is one, else to its city's
        authority = authorities.get(spec.area) or authorities[spec.area[:4] + "00"]
        while True:  # credit codes are unique: 2,000 random ones clash now and then
            code = make_uscc(prefix=spec.prefix, area=spec.area, rng=rng)
            if code not in codes:
                codes.add(code)
                break
        units.append(Unit(name=spec.name, level=spec.level, authority=authority, uscc=code))
    units = Unit.objects.bulk_create(units)
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
    User.objects.bulk_create(users, 2000)
    return len(units)


def load_pool(rng: random.Random) -> Pool:
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
    shared: dict[tuple[str, str], tuple[str, str]] = {}
    people = Person.objects.filter(is_active=True).order_by("id")
    for person_id, unit_id, rank, post, teaching in people.values_list(
        "id", "unit_id", "rank", "post", "is_teaching_research"
    ).iterator(chunk_size=20000):
        if unit_id in units:
            info = shared.setdefault((rank, post), (rank, post))
            units[unit_id].add(person_id, info, travel_weight(rng, rank, teaching))
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
    chosen = [u for u in units.values() if len(u.ids) >= 2]
    cum, total = [], 0.0
    for unit in chosen:
        total += unit.weight
        cum.append(total)
    return Pool(units=chosen, office=office, cum=cum)
