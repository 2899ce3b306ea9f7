"""Fast row writing for the scale path: COPY on PostgreSQL, executemany elsewhere.

Rows are tuples in the order of the field names given; values are plain Python (ints for
foreign keys, aware datetimes, dates, Decimals). Nothing goes through ``save()`` or signals.
"""

from django.db import connection


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(model, fields) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for rows written later, taken from the table's own sequence where it has one."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite and friends: the seeding is the only writer, so the next ids are free.
        cursor.execute(f"SELECT MAX(id) FROM {_table(model)}")
        start = (cursor.fetchone()[0] or 0) + 1
        return list(range(start, start + count))


def write_rows(model, fields: list[str], rows: list[tuple]) -> int:
    if not rows:
        return 0
    columns = _columns(model, fields)
    column_sql = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {_table(model)} ({column_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            model_fields = [model._meta.get_field(name) for name in fields]
            prepared = [
                [f.get_db_prep_save(v, connection) for f, v in zip(model_fields, row, strict=True)]
                for row in rows
            ]
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {_table(model)} ({column_sql}) VALUES ({marks})", prepared
            )
    return len(rows)
