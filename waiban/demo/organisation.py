"""The offices, the units and one demo user per role."""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from waiban.accounts.models import Authority, Unit, User
from waiban.accounts.roles import ApproverPosition, Role
from waiban.accounts.services import user_create
from waiban.core.audit import audit_record
from waiban.demo import catalog
from waiban.demo.identities import make_name, make_uscc

DEMO_PASSWORD = "waiban-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    full_name: str
    where: str  # "unit:<key>", "unit2:<key>" or "office"
    approver_position: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("clerk", Role.UNIT_CLERK, "覃海燕", f"unit:{catalog.DEMO_UNIT}"),
    DemoAccount("clerk2", Role.UNIT_CLERK, "黄志坚", f"unit:{catalog.SECOND_CLERK_UNIT}"),
    DemoAccount("unithead", Role.UNIT_HEAD, "韦国强", f"unit:{catalog.DEMO_UNIT}"),
    DemoAccount("traveller", Role.TRAVELLER, "莫晓雯", f"unit:{catalog.DEMO_UNIT}"),
    DemoAccount("window", Role.WINDOW_CLERK, "陆思琪", "office"),
    DemoAccount("reviewer", Role.REVIEWER, "蒙建华", "office"),
    DemoAccount("divhead", Role.APPROVER, "黎振宇", "office", ApproverPosition.DIVISION_HEAD.value),
    DemoAccount("leader", Role.APPROVER, "梁卫东", "office", ApproverPosition.OFFICE_LEADER.value),
    DemoAccount("passport", Role.PASSPORT_OFFICER, "卢晓红", "office"),
    DemoAccount("visa", Role.VISA_OFFICER, "唐文静", "office"),
    DemoAccount("supervisor", Role.SUPERVISOR, "邓明亮", "office"),
    DemoAccount("sysadmin", Role.SYS_ADMIN, "系统管理员", ""),
    DemoAccount("secadmin", Role.SECURITY_ADMIN, "安全管理员", ""),
    DemoAccount("auditadmin", Role.AUDIT_ADMIN, "审计管理员", ""),
]


@dataclass
class Organisation:
    authorities: dict[str, Authority]
    units: dict[str, Unit]
    short_names: dict[str, str]
    clerks: dict[str, User] = field(default_factory=dict)  # unit key -> clerk
    heads: dict[str, User] = field(default_factory=dict)  # unit key -> unit head
    accounts: dict[str, User] = field(default_factory=dict)  # demo username -> user

    @property
    def province(self) -> Authority:
        return self.authorities[catalog.PROVINCE_CODE]


def create_organisation(rng: random.Random) -> Organisation:
    authorities = {}
    for code, name, level, parent, sees_below in catalog.AUTHORITIES:
        authorities[code] = Authority.objects.create(
            code=code,
            name=name,
            level=level,
            parent=authorities.get(parent),
            handles_subordinate_cases=sees_below,
        )
    units, short_names = {}, {}
    for key, name, short, level, authority_code, prefix, _kind, _n in catalog.UNITS:
        unit = Unit(
            name=name,
            level=level,
            authority=authorities[authority_code],
            uscc=make_uscc(prefix=prefix, area=authority_code, rng=rng),
        )
        unit.full_clean()
        unit.save()
        units[key] = unit
        short_names[key] = short
    return Organisation(authorities=authorities, units=units, short_names=short_names)


def _contact(user, *, index: int) -> None:
    """An e-mail address for every demo account and, for the unit's people, a mobile number for
    SMS (``make run`` writes both to files under var/, see the README)."""
    from waiban.notices.models import NoticePreference
    from waiban.notices.services import notice_preferences_save

    notice_preferences_save(
        user=user,
        preference=NoticePreference(user=user),
        email=f"{user.username}@demo.waiban.cn",
        new_mobile=f"1380771{index:04d}" if user.unit_id else "",
        forget_mobile=False,
    )


def create_users(org: Organisation, rng: random.Random) -> None:
    """The demo accounts, then a clerk and a head for every other unit (they own its cases)."""
    for account in DEMO_ACCOUNTS:
        unit = None
        if account.where.startswith("unit:"):
            unit = org.units[account.where.split(":", 1)[1]]
        user = user_create(
            actor=None,  # the seeding itself, not a person
            username=account.username,
            password=DEMO_PASSWORD,
            role=account.role,
            full_name=account.full_name,
            unit=unit,
            authority=org.province if account.where == "office" else None,
            approver_position=account.approver_position,
        )
        org.accounts[account.username] = user
        _contact(user, index=len(org.accounts))
    org.clerks[catalog.DEMO_UNIT] = org.accounts["clerk"]
    org.clerks[catalog.SECOND_CLERK_UNIT] = org.accounts["clerk2"]
    org.heads[catalog.DEMO_UNIT] = org.accounts["unithead"]
    # The other units' clerks and heads share one password hash: hashing it once instead of
    # forty times saves ten seconds (PBKDF2 is slow on purpose). Same checks and audit as
    # user_create otherwise.
    password = make_password(DEMO_PASSWORD)
    for index, (key, unit) in enumerate(org.units.items(), 1):
        for role, registry, suffix in (
            (Role.UNIT_CLERK, org.clerks, "clerk"),
            (Role.UNIT_HEAD, org.heads, "head"),
        ):
            if key in registry:
                continue
            user = User(
                username=f"u{index:02d}-{suffix}",
                password=password,
                role=role,
                full_name=make_name(rng, rng.choice("MF")),
                unit=unit,
            )
            user.full_clean()
            user.save()
            audit_record(
                actor=None,
                action="user.create",
                obj=user,
                new={"username": user.username, "role": role, "unit": unit},
            )
            registry[key] = user
