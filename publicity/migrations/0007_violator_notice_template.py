"""Version 1 of the 拟列入严重违法失信名单告知书 template, active (as documents/0004 does for its kinds:
seeding is no one's act, so no ledger entry)."""

from pathlib import Path

from django.db import migrations

import documents

DEFAULT = Path(documents.__file__).resolve().parent / "templates" / "documents" / "defaults" / "violator_notice.html"
KIND = "violator_notice"


def seed(apps, schema_editor):
    TemplateVersion = apps.get_model("documents", "TemplateVersion")
    if TemplateVersion.objects.filter(kind=KIND).exists():
        return
    TemplateVersion.objects.create(
        kind=KIND, version=1, body=DEFAULT.read_text(encoding="utf-8"), note="默认模板", status="active"
    )


def unseed(apps, schema_editor):
    TemplateVersion = apps.get_model("documents", "TemplateVersion")
    TemplateVersion.objects.filter(version=1, kind=KIND, documents__isnull=True, created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0006_violator_rules"),
        ("documents", "0008_violator_notice_kind"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
