"""factory_boy factories, with one trait per workflow state (DelegationFactory(approved=True))."""

import datetime as dt
import random
from decimal import Decimal

import factory
from django.utils import timezone

from waiban.accounts.models import Authority, Unit, User
from waiban.accounts.roles import ApproverPosition, Role
from waiban.core.crypto import blind_index
from waiban.people.models import Person, Rank
from waiban.testing.ids import make_id_number, make_uscc
from waiban.visits.models import (
    ApprovalStep,
    Attachment,
    BudgetLine,
    Delegation,
    DelegationMember,
    ItineraryStop,
)
from waiban.visits.states import State

_rng = random.Random(20261123)


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"测试外办{n}")
    code = factory.Sequence(lambda n: f"45{n:04d}")
    level = Authority.Level.PROVINCE
    handles_subordinate_cases = True


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    level = Unit.Level.PROVINCIAL
    authority = factory.SubFactory(AuthorityFactory)
    uscc = factory.Sequence(make_uscc)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.UNIT_CLERK
    password = factory.PostGenerationMethodCall("set_password", "pass-for-tests-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        role = kwargs.get("role")
        if role in (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.TRAVELLER) and not kwargs.get("unit"):
            kwargs["unit"] = UnitFactory()
        if role not in (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.TRAVELLER) and not kwargs.get(
            "authority"
        ):
            unit = kwargs.get("unit")
            kwargs["authority"] = unit.authority if unit else AuthorityFactory()
        if role == Role.APPROVER and not kwargs.get("approver_position"):
            kwargs["approver_position"] = ApproverPosition.DIVISION_HEAD
        return kwargs


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    unit = factory.SubFactory(UnitFactory)
    name_zh = factory.Iterator(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"])
    surname_pinyin = "ZHANG"
    given_name_pinyin = "WEI"
    sex = factory.Iterator(["M", "F"])
    birth_date = factory.LazyFunction(
        lambda: dt.date(1970, 1, 1) + dt.timedelta(days=_rng.randrange(0, 10000))
    )
    id_number = factory.LazyAttribute(
        lambda o: make_id_number(birth=o.birth_date, sex=o.sex, rng=_rng)
    )
    id_number_hash = factory.LazyAttribute(lambda o: blind_index(o.id_number))
    phone = "13800138000"
    phone_hash = factory.LazyAttribute(lambda o: blind_index(o.phone))
    post = "处长"
    rank = Rank.DIVISION_FULL


class DelegationFactory(factory.django.DjangoModelFactory):
    """A complete application; traits move it along the workflow without the services."""

    class Meta:
        model = Delegation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"赴德国、法国经贸考察团{n}")
    task_type = "business_talks"
    purpose = "商务洽谈与项目对接"
    unit = factory.SubFactory(UnitFactory)
    authority = factory.LazyAttribute(lambda o: o.unit.authority)
    inviting_organisation = "Deutsch-Chinesische Wirtschaftsvereinigung"
    inviting_organisation_kind = "counterpart"
    created_by = factory.LazyAttribute(lambda o: UserFactory(role=Role.UNIT_CLERK, unit=o.unit))
    departure_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=40))
    return_date = factory.LazyAttribute(lambda o: o.departure_date + dt.timedelta(days=6))
    committed_at = factory.LazyFunction(timezone.now)

    class Params:
        submitted = factory.Trait(
            state=State.PRE_REVIEW,
            case_number=factory.Sequence(lambda n: f"2026-{n + 1:07d}"),
            submitted_at=factory.LazyFunction(timezone.now),
            deadline=factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=1)),
        )
        under_review = factory.Trait(submitted=True, state=State.UNDER_REVIEW)
        pending_approval = factory.Trait(
            submitted=True, state=State.PENDING_APPROVAL, approval_level=1
        )
        approved = factory.Trait(submitted=True, state=State.APPROVED, deadline=None)
        draft_uncommitted = factory.Trait(committed_at=None)

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        """``DelegationFactory(members=2)``: how many members (the first leads); 3 by default."""
        if not create:
            return
        people = [PersonFactory(unit=obj.unit) for _ in range(extracted or 3)]
        for i, person in enumerate(people):
            DelegationMember.objects.create(
                delegation=obj, person=person, role="leader" if i == 0 else "member", position=i
            )
        obj.leader = people[0]
        half = obj.departure_date + dt.timedelta(days=3)
        ItineraryStop.objects.create(
            delegation=obj,
            position=0,
            country="DE",
            city="柏林",
            arrival_date=obj.departure_date,
            departure_date=half,
        )
        ItineraryStop.objects.create(
            delegation=obj,
            position=1,
            country="FR",
            city="巴黎",
            arrival_date=half,
            departure_date=obj.return_date,
        )
        for kind, amount in [("air_fare", "30000"), ("lodging", "12000"), ("meals", "4000")]:
            BudgetLine.objects.create(delegation=obj, kind=kind, amount=Decimal(amount))
        Attachment.objects.create(
            delegation=obj,
            kind="invitation",
            file="attachments/test/invitation.pdf",
            original_name="invitation.pdf",
            content_type="application/pdf",
            size=1000,
            sha256="0" * 64,
            uploaded_by=obj.created_by,
        )
        if obj.state == State.PENDING_APPROVAL:
            ApprovalStep.objects.create(delegation=obj, level=1, position="division_head")
        obj.save()


def explain_every_correction(delegation) -> dict:
    """Resubmission's explanations for every item of the case's open correction notice, for
    tests that resubmit without changing what the notice named."""
    from waiban.visits.correction_check import open_items

    return {str(item.pk): "已核实，无需修改。" for item in open_items(delegation)}


def accepted_trip_report(delegation, *, published=True):
    """An accepted trip report and both public notices recorded, for a case back home, written
    straight to the tables (their workflow is tested in waiban.reports): what closing a case
    needs besides the passports."""
    from waiban.reports.models import Disclosure, TripReport

    for kind in Disclosure.Kind.values:
        Disclosure.objects.create(
            delegation=delegation,
            kind=kind,
            posted_on=delegation.return_date,
            place="单位公示栏",
            recorded_by=delegation.created_by,
        )
    return TripReport.objects.create(
        delegation=delegation,
        unit_id=delegation.unit_id,
        authority_id=delegation.authority_id,
        task_type=delegation.task_type,
        year=delegation.return_date.year,
        due_date=delegation.return_date,
        state="accepted",
        title=f"{delegation.title} 出访报告",
        purpose=delegation.purpose,
        counterparts="对口单位",
        results="达成合作意向",
        published=published,
        accepted_at=timezone.now(),
        created_by=delegation.created_by,
    )
