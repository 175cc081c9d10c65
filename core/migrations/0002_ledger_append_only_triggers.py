"""The ledger is append-only in the database itself, not only in the ORM."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS core_ledgerentry_no_update BEFORE UPDATE ON core_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'ledger is append-only: entries cannot be updated'); END;""",
    """CREATE TRIGGER IF NOT EXISTS core_ledgerentry_no_delete BEFORE DELETE ON core_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'ledger is append-only: entries cannot be deleted'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_ledgerentry_no_update;",
    "DROP TRIGGER IF EXISTS core_ledgerentry_no_delete;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION core_ledgerentry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'ledger is append-only: % refused', TG_OP; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER core_ledgerentry_no_change BEFORE UPDATE OR DELETE ON core_ledgerentry
       FOR EACH ROW EXECUTE FUNCTION core_ledgerentry_append_only();""",
    """CREATE TRIGGER core_ledgerentry_no_truncate BEFORE TRUNCATE ON core_ledgerentry
       FOR EACH STATEMENT EXECUTE FUNCTION core_ledgerentry_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS core_ledgerentry_no_change ON core_ledgerentry;",
    "DROP TRIGGER IF EXISTS core_ledgerentry_no_truncate ON core_ledgerentry;",
    "DROP FUNCTION IF EXISTS core_ledgerentry_append_only();",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
