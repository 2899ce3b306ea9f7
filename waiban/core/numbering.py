from django.db import connection, transaction

from waiban.core.models import NumberSequence


def next_number(*, name: str, year: int) -> int:
    """Next value of a per-year counter; safe under concurrency: the UPDATE locks the row until
    the surrounding transaction ends, so a concurrent caller waits and counts on from our value.
    One statement (UPDATE ... RETURNING, which the ORM cannot express); the year's first number
    creates the row first."""
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    increment = (
        f"UPDATE {table} SET last_value = last_value + 1 "
        "WHERE name = %s AND year = %s RETURNING last_value"
    )
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(increment, [name, year])
        row = cursor.fetchone()
        if row is None:
            # get_or_create copes with a concurrent first number of the same year.
            NumberSequence.objects.get_or_create(name=name, year=year)
            cursor.execute(increment, [name, year])
            row = cursor.fetchone()
    return row[0]


def case_number(*, year: int) -> str:
    """Case numbers people can read out on the phone: ``2026-0001234``."""
    return f"{year}-{next_number(name='case', year=year):07d}"
