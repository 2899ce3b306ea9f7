"""The library's full-text index, by database vendor (DESIGN.md §7): a pg_trgm GIN index on the
normalised text on PostgreSQL; an FTS5 trigram table kept by triggers on SQLite.

Note for later migrations of TripReport on SQLite: a change that makes Django rebuild the table
drops these triggers; rerun ``sqlite_forward`` after such a change (it is idempotent)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS reports_search USING fts5("
    "search_text, content='reports_tripreport', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS reports_search_ai AFTER INSERT ON reports_tripreport BEGIN "
    "INSERT INTO reports_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS reports_search_ad AFTER DELETE ON reports_tripreport BEGIN "
    "INSERT INTO reports_search(reports_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS reports_search_au AFTER UPDATE OF search_text "
    "ON reports_tripreport BEGIN "
    "INSERT INTO reports_search(reports_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO reports_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO reports_search(reports_search) VALUES ('rebuild')",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS reports_search_ai",
    "DROP TRIGGER IF EXISTS reports_search_ad",
    "DROP TRIGGER IF EXISTS reports_search_au",
    "DROP TABLE IF EXISTS reports_search",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS reports_search_trgm ON reports_tripreport "
    "USING gin (search_text gin_trgm_ops)",
]
POSTGRES_BACK = ["DROP INDEX IF EXISTS reports_search_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(SQLITE)(apps, schema_editor)
    elif vendor == "postgresql":
        _run(POSTGRES)(apps, schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(SQLITE_BACK)(apps, schema_editor)
    elif vendor == "postgresql":
        _run(POSTGRES_BACK)(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_trip_reports")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
