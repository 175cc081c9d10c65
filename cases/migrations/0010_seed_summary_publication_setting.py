from django.db import migrations

# 当场处罚 decisions are published like every penalty decision (LEGAL.md §2: 国办发〔2018〕118号 publishes
# 处罚 decisions within 7 working days and excepts none); warning-only ones follow
# cases.publish_warning_only (LEGAL.md §8). cases/services/publication.py reads it.
KEY = "cases.publish_summary"


def seed(apps, schema_editor):
    LegalSetting = apps.get_model("core", "LegalSetting")
    LegalSetting.objects.get_or_create(
        key=KEY,
        defaults={
            "value": 1,
            "description": "publish summary-procedure decisions (当场处罚; 1 = yes, 0 = no; warning-only ones "
            "as cases.publish_warning_only)",
            "basis": "国办发〔2018〕118号（处罚决定7个工作日内公开）；行政处罚法 Art.48",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "LegalSetting").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_delivery_receipt_document_and_scan"), ("core", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
