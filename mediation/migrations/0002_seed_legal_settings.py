from django.db import migrations

# Time limits of administrative mediation (mediation.services). LEGAL.md sets none of them: all are
# [U] configuration with issue 8 §5's defaults, to be corrected to the agency's or province's rule.
SETTINGS = [
    ("mediation.acceptance_workdays", 5,
     "[U] application for mediation accepted or refused within (working days) of receipt; configuration", ""),
    ("mediation.conclusion_days", 30,
     "[U] mediation concluded within (calendar days) of acceptance unless the parties agree to extend; configuration", ""),
    ("mediation.max_extension_days", 30,
     "[U] longest extension (calendar days) the parties may agree to at one time; configuration", ""),
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
        ("mediation", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
