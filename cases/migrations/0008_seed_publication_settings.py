from django.db import migrations

# 事后公开 (cases/services/publication.py, LEGAL.md §2, §8): penalty decisions within 7 working days of
# the decision, other enforcement decisions within 20 (国办发〔2018〕118号); warning-only decisions are
# not published by default (总局令第45号 model), decisions not to penalise are.
SETTINGS = [
    ("cases.publication_penalty_workdays", 7,
     "penalty decisions published within (working days of the decision)", "国办发〔2018〕118号"),
    ("cases.publication_other_workdays", 20,
     "other enforcement decisions (e.g. not to penalise) published within (working days of the decision)",
     "国办发〔2018〕118号"),
    ("cases.publish_warning_only", 0,
     "publish decisions whose only penalty is a warning (1 = yes, 0 = no)", "国办发〔2018〕118号；总局令第45号"),
    ("cases.publish_no_penalty", 1,
     "publish decisions not to penalise (1 = yes, 0 = no)", "国办发〔2018〕118号"),
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
        ("cases", "0007_seed_document_settings"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
