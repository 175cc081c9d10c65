"""Version 1 of each kind's template, active: the bodies in documents/templates/documents/defaults/.

Seeding is not an act of anyone, so it writes no ledger entry; every later change goes through
documents.services (a new version, a ledger act).
"""

from pathlib import Path

from django.db import migrations

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "templates" / "documents" / "defaults"
KINDS = [
    "case_registration",
    "stop_order",
    "rectification_order",
    "penalty_notice",
    "hearing_notice",
    "penalty_decision",
    "summary_decision",
    "no_penalty_decision",
    "delivery_receipt",
    "payment_reminder",
    "closing_approval",
]


def seed(apps, schema_editor):
    TemplateVersion = apps.get_model("documents", "TemplateVersion")
    for kind in KINDS:
        if TemplateVersion.objects.filter(kind=kind).exists():
            continue
        TemplateVersion.objects.create(
            kind=kind,
            version=1,
            body=(DEFAULT_DIR / f"{kind}.html").read_text(encoding="utf-8"),
            note="默认模板",
            status="active",
        )


def unseed(apps, schema_editor):
    TemplateVersion = apps.get_model("documents", "TemplateVersion")
    TemplateVersion.objects.filter(version=1, kind__in=KINDS, documents__isnull=True, created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
