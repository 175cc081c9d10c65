"""The notice that an application for mediation is not accepted (行政调解不予受理通知书): its number on
the mediation, and version 1 of its template, active (as service/0003 does for its documents; seeding
is no one's act, so no ledger entry). The kind is declared in mediation/documents.py."""

from pathlib import Path

from django.db import migrations, models

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "mediation" / "documents" / "mediation_refusal.html"


def seed(apps, schema_editor):
    TemplateVersion = apps.get_model("documents", "TemplateVersion")
    if not TemplateVersion.objects.filter(kind="mediation_refusal").exists():
        TemplateVersion.objects.create(
            kind="mediation_refusal", version=1, body=TEMPLATE.read_text(encoding="utf-8"),
            note="默认模板", status="active",
        )


def unseed(apps, schema_editor):
    apps.get_model("documents", "TemplateVersion").objects.filter(
        kind="mediation_refusal", version=1, documents__isnull=True, created_by__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0003_mediation_mediation_list_idx"),
        ("documents", "0008_violator_notice_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="mediation",
            name="refusal_document_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="notice of not accepting"),
        ),
        migrations.AddField(
            model_name="mediation",
            name="refusal_document_number",
            field=models.CharField(blank=True, max_length=80, verbose_name="number of the notice"),
        ),
        migrations.RunPython(seed, unseed),
    ]
