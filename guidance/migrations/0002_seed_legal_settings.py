from django.db import migrations

# The reply time limit of inquiries (首问负责、限时办结, seed 000 四(三)). LEGAL.md sets none: [U]
# configuration with a default of 5 working days, to be corrected to the agency's rule.
SETTINGS = [
    ("guidance.inquiry_reply_workdays", 5,
     "[U] inquiry (咨询) answered within (working days) of receipt; configuration", ""),
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
        ("guidance", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
