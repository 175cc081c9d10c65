from django.db import migrations

# Data the case documents read (cases/documents.py). Empty tables mean the defaults in code: the
# people's government and the basic people's court of the agency's region (行政复议法 2023 Art.24,
# 行政诉讼法 Arts.14, 18), "本机关指定的代收银行或者通过政府非税收入电子缴款渠道", the agency's own
# address and telephone; number patterns as cases/workflow/documents.py DEFAULT_NUMBER_PATTERNS.
SETTINGS = [
    (
        "cases.document_agency_data",
        {},
        "[U] per agency code: {reconsideration_body, court, payment_channel, hearing_place, contact_phone, "
        "contact_address} printed on the case documents; a missing entry uses the default",
        "行政处罚法 Art.59; 行政复议法 Art.24; 行政诉讼法 Arts.14, 18",
    ),
    (
        "cases.document_number_patterns",
        {},
        "number pattern per document sequence used when an agency has set none, e.g. "
        '{"penalty_notice": "{prefix}告〔{year}〕{seq}号"}',
        "行政处罚法 Art.52 (numbered forms)",
    ),
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
        ("cases", "0006_case_agency_id_index"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
