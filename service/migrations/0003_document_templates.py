"""Version 1 of the licensing documents' templates, active (as documents/0002 and 0004 do for the
penalty documents; seeding is no one's act, so no ledger entry). The kinds themselves are declared in
service/documents.py and registered with the documents app at start-up."""

from pathlib import Path

from django.db import migrations

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "templates" / "service" / "documents"
KINDS = ["licence_acceptance", "licence_correction", "licence_rejection", "licence_grant", "licence_refusal"]


def seed(apps, schema_editor):
    TemplateVersion = apps.get_model("documents", "TemplateVersion")
    for kind in KINDS:
        if TemplateVersion.objects.filter(kind=kind).exists():
            continue
        TemplateVersion.objects.create(
            kind=kind, version=1, body=(DEFAULT_DIR / f"{kind}.html").read_text(encoding="utf-8"),
            note="默认模板", status="active",
        )


def unseed(apps, schema_editor):
    TemplateVersion = apps.get_model("documents", "TemplateVersion")
    TemplateVersion.objects.filter(version=1, kind__in=KINDS, documents__isnull=True, created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0002_seed_kinds_and_settings"),
        ("documents", "0006_agency_seal"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
