from django.db import migrations

KEY = "org.legal_reviewer_min_ratio"


def seed(apps, schema_editor):
    # Default 5%: 国办发〔2018〕118号 and 武定县自然资源局 2023 二(三)2 ("法制审核人员不少于本单位执法人员
    # 总数的5%"). Changed later only through org.services.legal_reviewer_min_ratio_set (a ledger act).
    LegalSetting = apps.get_model("core", "LegalSetting")
    LegalSetting.objects.get_or_create(
        key=KEY,
        defaults={
            "value": 0.05,
            "description": "legal reviewers / enforcement staff, at least",
            "basis": "国办发〔2018〕118号; 武定县自然资源局 2023 二(三)2",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_seed_fields_and_role_groups"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
