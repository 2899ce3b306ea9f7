"""A prepared read gives what the queryset would have given, from SQL compiled once per key, and
the data it reads is always the database's current data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count

from waiban.core.prepared import forget_prepared, prepared_count, prepared_rows
from waiban.testing.factories import DelegationFactory
from waiban.visits.models import BudgetLine, Delegation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_kept_statements():
    """Statements are kept for the whole process: each test starts without any."""
    forget_prepared()
    yield
    forget_prepared()


def _counted(build):
    """``build`` that notes each call in ``.calls``."""

    def counting(*args):
        counting.calls += 1
        return build(*args)

    counting.calls = 0
    return counting


@pytest.fixture
def case(clerk, unit):
    return DelegationFactory(unit=unit, created_by=clerk, submitted=True)


def test_values_rows_are_the_querysets_own_with_dates_amounts_and_flags_converted(case):
    def build():
        return (
            BudgetLine.objects.filter(delegation=case)
            .values(
                "kind",
                "amount",
                "delegation__deadline",
                "delegation__submitted_at",
                "delegation__authority__handles_subordinate_cases",
            )
            .order_by("pk")
        )

    rows = prepared_rows(("budget", case.pk), build)

    assert rows == list(build())
    # SQLite hands back text and integers; == alone would take 1 for True and 30000 for Decimal.
    first = rows[0]
    assert first["kind"] == "air_fare"
    assert type(first["amount"]) is Decimal and first["amount"] == Decimal("30000.00")
    assert type(first["delegation__deadline"]) is dt.date
    assert first["delegation__deadline"] == case.deadline
    assert isinstance(first["delegation__submitted_at"], dt.datetime)
    assert first["delegation__submitted_at"] == case.submitted_at  # aware, same instant
    assert first["delegation__authority__handles_subordinate_cases"] is True


def test_instances_come_with_their_related_rows_and_touching_them_costs_no_query(
    case, django_assert_num_queries
):
    def build():
        return Delegation.objects.select_related("unit", "authority", "leader").filter(pk=case.pk)

    with django_assert_num_queries(1):
        [found] = prepared_rows(("case-page", case.pk), build)
        assert found.unit.name == case.unit.name
        assert found.authority.code == case.authority.code
        # An encrypted column of a joined row is decrypted as the ORM would do it.
        assert found.leader.id_number == case.leader.id_number
    assert found == case and found.deadline == case.deadline


def test_an_annotated_instance_carries_its_annotation(case):
    def build():
        return Delegation.objects.filter(pk=case.pk).annotate(member_total=Count("members"))

    [found] = prepared_rows(("with-count", case.pk), build)

    assert found.member_total == 3


def test_a_second_call_reuses_the_statement_but_reads_the_current_rows(case, clerk, unit):
    build = _counted(lambda: Delegation.objects.filter(unit=unit).values("title").order_by("pk"))
    assert prepared_rows(("unit-titles", unit.pk), build) == [{"title": case.title}]

    Delegation.objects.filter(pk=case.pk).update(title="赴德国经贸交流团")
    later = DelegationFactory(unit=unit, created_by=clerk)

    assert prepared_rows(("unit-titles", unit.pk), build) == [
        {"title": "赴德国经贸交流团"},
        {"title": later.title},
    ]
    assert build.calls == 1


def test_a_different_key_compiles_its_own_statement(case, clerk, unit):
    other = DelegationFactory(unit=unit, created_by=clerk)
    first = _counted(lambda: Delegation.objects.filter(pk=case.pk).values("pk"))
    second = _counted(lambda: Delegation.objects.filter(pk=other.pk).values("pk"))

    assert prepared_rows(("one", case.pk), first) == [{"pk": case.pk}]
    assert prepared_rows(("one", other.pk), second) == [{"pk": other.pk}]
    assert (first.calls, second.calls) == (1, 1)


def test_an_empty_in_list_gives_nothing_without_asking_the_database(
    case, django_assert_num_queries
):
    with django_assert_num_queries(0):
        for _ in range(2):  # compiled, then kept
            assert prepared_rows(("none",), lambda: Delegation.objects.filter(pk__in=[])) == []
            assert (
                prepared_rows(
                    ("none-values",), lambda: Delegation.objects.filter(pk__in=[]).values("pk")
                )
                == []
            )
            assert (
                prepared_count(
                    ("none-count",), lambda: Delegation.objects.filter(pk__in=[]).values("pk")
                )
                == 0
            )


def test_a_count_stops_at_the_slice_of_the_queryset(case, clerk, unit, django_assert_num_queries):
    for _ in range(2):
        DelegationFactory(unit=unit, created_by=clerk)

    def capped(cap):
        return lambda: Delegation.objects.filter(unit=unit).order_by().values("pk")[:cap]

    with django_assert_num_queries(1):
        assert prepared_count(("capped", 2), capped(2)) == 2
    assert prepared_count(("capped", 10), capped(10)) == 3
    DelegationFactory(unit=unit, created_by=clerk)
    assert prepared_count(("capped", 10), capped(10)) == 4  # the same statement, counted afresh


def test_a_values_list_queryset_is_refused(case):
    with pytest.raises(TypeError):
        prepared_rows(("flat",), lambda: Delegation.objects.values_list("pk", flat=True))


def test_forgetting_the_statements_makes_the_next_call_build_again(case):
    build = _counted(lambda: Delegation.objects.filter(pk=case.pk).values("pk"))
    prepared_rows(("forgotten",), build)
    prepared_rows(("forgotten",), build)
    assert build.calls == 1

    forget_prepared()

    assert prepared_rows(("forgotten",), build) == [{"pk": case.pk}]
    assert build.calls == 2


def test_one_statement_serves_every_id_passed_as_an_argument(case, clerk, unit):
    other = DelegationFactory(unit=unit, created_by=clerk)
    build = _counted(lambda pk: Delegation.objects.filter(pk=pk).values("pk", "title"))

    assert prepared_rows(("by-id",), build, args=(case.pk,)) == [
        {"pk": case.pk, "title": case.title}
    ]
    assert prepared_rows(("by-id",), build, args=(other.pk,)) == [
        {"pk": other.pk, "title": other.title}
    ]
    assert build.calls == 1


def test_a_text_argument_is_bound_on_every_call_too(case, clerk, unit):
    other = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    build = _counted(lambda number: Delegation.objects.filter(case_number=number).values("pk"))

    assert prepared_rows(("by-number",), build, args=(case.case_number,)) == [{"pk": case.pk}]
    assert prepared_rows(("by-number",), build, args=(other.case_number,)) == [{"pk": other.pk}]
    assert build.calls == 1


def test_a_count_binds_its_argument_on_every_call(case, clerk, unit):
    DelegationFactory(unit=unit, created_by=clerk)
    other_unit = DelegationFactory().unit
    build = _counted(lambda unit_id: Delegation.objects.filter(unit_id=unit_id).values("pk"))

    assert prepared_count(("per-unit",), build, args=(unit.pk,)) == 2
    assert prepared_count(("per-unit",), build, args=(other_unit.pk,)) == 1
    assert build.calls == 1


def test_an_argument_the_query_does_not_use_exactly_once_is_refused(case):
    with pytest.raises(ValueError):
        prepared_rows(("unused-arg",), lambda pk: Delegation.objects.values("pk"), args=(case.pk,))


def test_a_query_with_arguments_that_can_match_nothing_gives_no_rows(case):
    def build(pk):
        return Delegation.objects.filter(pk=pk, unit_id__in=[]).values("pk")

    assert prepared_rows(("never",), build, args=(case.pk,)) == []
    assert prepared_count(("never-count",), build, args=(case.pk,)) == 0


def test_an_argument_may_filter_a_positive_integer_field(clerk, unit):
    pending = DelegationFactory(unit=unit, created_by=clerk, pending_approval=True)

    def build(level):
        return Delegation.objects.filter(approval_level=level).values("pk")

    assert prepared_rows(("at-level",), build, args=(1,)) == [{"pk": pending.pk}]
