from django.db import migrations

# Training and exam figures (training.services). LEGAL.md sets none: seed 003 (孟津县) holds a
# session every quarter, closed-book exams, a retake, and removal from duty after a second failure.
SETTINGS = [
    ("training.sessions_per_year", 4,
     "[U] training sessions planned per year by default (seed 003: every quarter); configuration", ""),
    ("training.pass_percent", 60, "[U] default pass mark of an exam (percent); configuration", ""),
    ("training.fail_limit", 2,
     "[U] exams failed in a row that suspend the officer's certificates until they pass (seed 003); "
     "configuration", "seed 003"),
    ("training.submit_grace_seconds", 30,
     "[U] seconds after the end of an online exam in which answers sent are still accepted "
     "(network delay); configuration", ""),
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
        ("training", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
