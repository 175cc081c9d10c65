"""Seed the official working-day calendar (2004–2026) from chinesecalendar.

Idempotent: years already in the table are left alone. Provisional years are computed lazily at
run time (core.services.calendar.calendar_snapshot), not here, because they depend on today's date.
"""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from core.services.calendar import seed_official_rows

    seed_official_rows(apps.get_model("core", "CalendarYear"), apps.get_model("core", "WorkdayOverride"))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_clock_fields")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
