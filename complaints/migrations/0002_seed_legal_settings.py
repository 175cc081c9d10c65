from django.db import migrations

# Time limits of complaints and reports (complaints.services). LEGAL.md sets none of them: all are
# [U] configuration with issue 7's defaults, to be corrected to the agency's or province's rule.
SETTINGS = [
    ("complaints.acknowledge_workdays", 5,
     "[U] complaint or report acknowledged (受理) within (working days) of receipt; configuration", ""),
    ("complaints.lead_decision_workdays", 15,
     "[U] decision whether a report becomes a case lead within (working days) of receipt; configuration", ""),
    ("complaints.reply_days", 60,
     "[U] complaint or report answered within (calendar days) of receipt; configuration", ""),
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
        ("complaints", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
