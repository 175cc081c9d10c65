from django.db import migrations

# Legal figures of publicity (LEGAL.md §8) kept as data; the administrator edits them.
SETTINGS = [
    ("publicity.withdraw_workdays", 3,
     "a published decision that is revoked, changed or found unlawful is withdrawn within (working days)",
     "行政处罚法第四十八条第二款"),
    ("publicity.display_years", 3,
     "[V2] a published decision stays on the portal for (years; at least 3 months, at most 3 years)",
     "LEGAL.md §8; 信用信息公示期限"),
]


def seed(apps, schema_editor):
    LegalSetting = apps.get_model("core", "LegalSetting")
    for key, value, description, basis in SETTINGS:
        LegalSetting.objects.get_or_create(
            key=key, defaults={"value": value, "description": description, "basis": basis}
        )


def unseed(apps, schema_editor):
    LegalSetting = apps.get_model("core", "LegalSetting")
    LegalSetting.objects.filter(key__in=[key for key, *_ in SETTINGS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0002_search"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
