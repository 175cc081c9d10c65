"""Land classes stored as lowercase English values (STYLE §6) instead of their Chinese names.

Rewrites the `land_classes` lists of every standard version and tier (published ones too: only the
representation changes, the meaning stays); the reverse migration restores the Chinese names.
"""

from django.db import migrations

TO_VALUE = {"永久基本农田": "basic_farmland", "耕地": "farmland", "其他": "other"}
TO_NAME = {value: name for name, value in TO_VALUE.items()}


def _convert(apps, mapping):
    for model_name in ("DiscretionStandard", "DiscretionTier"):
        model = apps.get_model("catalog", model_name)
        for row in model.objects.only("pk", "land_classes").iterator():
            new = [mapping.get(c, c) for c in row.land_classes or []]
            if new != row.land_classes:
                model.objects.filter(pk=row.pk).update(land_classes=new)


def forwards(apps, schema_editor):
    _convert(apps, TO_VALUE)


def backwards(apps, schema_editor):
    _convert(apps, TO_NAME)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_default_major_decision_catalog")]

    operations = [migrations.RunPython(forwards, backwards)]
