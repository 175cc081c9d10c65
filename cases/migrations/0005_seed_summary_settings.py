from django.db import migrations

# Legal figures of the summary procedure (cases/workflow/summary.py, LEGAL.md §1). Statutory figures
# ([V]) and one agency rule: the statute (行政处罚法 Art.52) requires the filing (备案) but sets no
# period, so the 2 working days below is a documented default to be corrected to the local rule.
SETTINGS = [
    ("cases.summary_fine_max_person", 200,
     "summary procedure: highest fine for a natural person (yuan)", "行政处罚法 Art.51"),
    ("cases.summary_fine_max_organisation", 3000,
     "summary procedure: highest fine for a legal person or other organisation (yuan)", "行政处罚法 Art.51"),
    ("cases.on_spot_collection_max", 100,
     "fine collected on the spot without further ground (yuan)", "行政处罚法 Art.68(一)"),
    ("cases.cash_handover_workdays", 2,
     "cash collected on the spot handed to the agency within (working days)", "行政处罚法 Art.71"),
    ("cases.summary_filing_workdays", 2,
     "[U] on-the-spot decision filed with the agency (备案) within (working days); the statute sets no "
     "period — correct it to the agency's or province's rule",
     "行政处罚法 Art.52"),
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
        ("cases", "0004_orders_enforcement_discretion"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
