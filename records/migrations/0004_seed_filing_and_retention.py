"""Default filing standard (core.LegalSetting `records.filing_standard`) and retention rules.

Both are data: a province edits the filing order in the legal settings, an administrator the
retention years (records.services.retention.retention_rule_update, a ledger act each time).
"""

from django.db import migrations

from records.filing import DEFAULT_FILING_STANDARD, SETTING_KEY
from records.models import DEFAULT_RETENTION


def seed(apps, schema_editor):
    LegalSetting = apps.get_model("core", "LegalSetting")
    LegalSetting.objects.get_or_create(
        key=SETTING_KEY,
        defaults={
            "value": DEFAULT_FILING_STANDARD,
            "description": "案卷归档：正卷、副卷的分卷及排列顺序",
            "basis": DEFAULT_FILING_STANDARD["basis"],
        },
    )
    RetentionRule = apps.get_model("records", "RetentionRule")
    for record_class, (years, basis) in DEFAULT_RETENTION.items():
        RetentionRule.objects.get_or_create(
            record_class=str(record_class), defaults={"years": years, "basis": basis}
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0003_archive_retention"), ("core", "0005_alert_unmailed_index")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
