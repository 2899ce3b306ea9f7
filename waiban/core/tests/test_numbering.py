"""Per-year counters: one statement per number, and no number given twice under concurrency."""

import threading

import pytest
from django.db import connection, connections, transaction

from waiban.core.models import NumberSequence
from waiban.core.numbering import case_number, next_number


@pytest.mark.django_db
def test_numbers_count_up_per_name_and_year_from_one():
    assert [next_number(name="case", year=2026) for _ in range(3)] == [1, 2, 3]
    assert next_number(name="case", year=2027) == 1
    assert next_number(name="doc-approval", year=2026) == 1
    assert case_number(year=2026) == "2026-0000004"
    assert NumberSequence.objects.get(name="case", year=2026).last_value == 4


@pytest.mark.django_db
def test_a_number_is_one_statement_once_the_years_counter_exists(django_assert_num_queries):
    next_number(name="case", year=2026)
    with django_assert_num_queries(1):
        next_number(name="case", year=2026)


@pytest.mark.django_db
def test_a_number_taken_in_a_transaction_that_rolls_back_is_given_again():
    next_number(name="case", year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(name="case", year=2026) == 2
        raise RuntimeError
    assert next_number(name="case", year=2026) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_concurrent_callers_never_get_the_same_number():
    barrier = threading.Barrier(4)
    taken = []

    def take():
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                with transaction.atomic():
                    taken.append(next_number(name="case", year=2030))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(taken) == list(range(1, 21))
