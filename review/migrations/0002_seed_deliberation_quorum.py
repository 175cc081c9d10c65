from django.db import migrations

KEY = "review.deliberation_quorum_ratio"


def seed(apps, schema_editor):
    # 行政处罚法 Art.57 requires 集体讨论 by the heads but sets no quorum; agency policy [U]. Default:
    # more than half of the agency's heads attend (present > 0.5 × heads). Read by
    # review.selectors.deliberation_quorum_ratio; a change is a ledger act.
    LegalSetting = apps.get_model("core", "LegalSetting")
    LegalSetting.objects.get_or_create(
        key=KEY,
        defaults={
            "value": 0.5,
            "description": "collective deliberation: heads present must be more than this share of the heads",
            "basis": "行政处罚法 Art.57 (集体讨论); quorum is agency policy",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
