"""The reminder scan's index on the clock's deadlines: (kind, status, due_date).

Each INSERT … SELECT of the scan filters one deadline kind, the running statuses and a window of
due dates; core's (status, due_date) index alone makes every statement read the running deadlines
of every kind in the window. The index lives on core's table but serves only this app's scan, so it
is created (and dropped) here, by name, on both engines."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS reminders_deadline_kind_idx ON core_deadline (kind, status, due_date)"
DROP = "DROP INDEX IF EXISTS reminders_deadline_kind_idx"


class Migration(migrations.Migration):
    dependencies = [("reminders", "0002_seed_rules"), ("core", "0005_alert_unmailed_index")]
    operations = [migrations.RunSQL(CREATE, DROP)]
