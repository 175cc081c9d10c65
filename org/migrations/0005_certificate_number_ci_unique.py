import django.db.models.functions.text
from django.db import migrations, models

MAX_VALIDITY_KEY = "org.certificate_max_validity_years"

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def normalize_numbers(apps, schema_editor):
    # Store existing numbers as org.services.certificates.normalize_certificate_number does, so that
    # the case-insensitive constraint below holds for rows written before it.
    Certificate = apps.get_model("org", "Certificate")
    for cert in Certificate.objects.only("pk", "number").iterator():
        text = cert.number.translate(_FULLWIDTH).strip()
        number = "".join(c.upper() if c.isascii() else c for c in text)
        if number != cert.number:
            Certificate.objects.filter(pk=cert.pk).update(number=number)


def seed_max_validity(apps, schema_editor):
    # The longest validity of an enforcement certificate; changed later only through a ledger act.
    LegalSetting = apps.get_model("core", "LegalSetting")
    LegalSetting.objects.get_or_create(
        key=MAX_VALIDITY_KEY,
        defaults={
            "value": 10,
            "description": "enforcement certificate validity, at most (years)",
            "basis": "行政执法证件管理办法 (province); platform default",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_seed_legal_reviewer_ratio"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(normalize_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Upper("number"), name="org_certificate_number_ci_unique"
            ),
        ),
        migrations.RunPython(seed_max_validity, migrations.RunPython.noop),
    ]
