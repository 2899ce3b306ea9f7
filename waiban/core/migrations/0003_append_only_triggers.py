"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit trail and the
history tables: an edit through psql or a stray script fails instead of going unnoticed.
(The audit chain would still detect it; this stops it.) SQLite has no such guard."""

from django.db import migrations

TABLES = [
    "core_auditevent",
    "visits_delegationevent",
    "plans_planevent",
    "passports_passportevent",
    "watchlists_entrychange",
    "watchlists_screeninghitevent",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION waiban_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rows of % are append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # its % are PL/pgSQL, not placeholders
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION waiban_refuse_change()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS waiban_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_chain"),
        ("visits", "0007_inviting_kinds_university_company"),
        ("plans", "0001_initial"),
        ("passports", "0001_initial"),
        ("watchlists", "0002_hit_history"),
    ]

    operations = [migrations.RunPython(create, drop)]
