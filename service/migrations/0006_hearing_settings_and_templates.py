"""The licensing hearing's figures (行政许可法 Arts.47–48, working days by Art.82; LegalSettings the
system administrator may correct) and version 1 of the templates of the documents added with
hearings and the ending of licences (撤销 / 撤回 / 注销), active as migration 0003 does."""

from pathlib import Path

from django.db import migrations

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "templates" / "service" / "documents"
KINDS = [
    "licence_hearing_right",
    "licence_hearing_notice",
    "licence_revocation",
    "licence_withdrawal",
    "licence_cancellation",
]
SETTINGS = [
    ("service.hearing_request_workdays", 5, "a hearing is requested within (working days) of being told of the right", "《行政许可法》第47条、第82条"),
    ("service.hearing_hold_workdays", 20, "the hearing is held within (working days) of the request", "《行政许可法》第47条、第82条"),
    ("service.hearing_notice_workdays", 7, "the applicant is told the time and place at least (working days) before the hearing", "《行政许可法》第48条第1款第1项、第82条"),
]


def seed(apps, schema_editor):
    TemplateVersion = apps.get_model("documents", "TemplateVersion")
    for kind in KINDS:
        if TemplateVersion.objects.filter(kind=kind).exists():
            continue
        TemplateVersion.objects.create(
            kind=kind, version=1, body=(DEFAULT_DIR / f"{kind}.html").read_text(encoding="utf-8"),
            note="默认模板", status="active",
        )
    LegalSetting = apps.get_model("core", "LegalSetting")
    for key, value, description, basis in SETTINGS:
        LegalSetting.objects.get_or_create(key=key, defaults={"value": value, "description": description, "basis": basis})


def unseed(apps, schema_editor):
    TemplateVersion = apps.get_model("documents", "TemplateVersion")
    TemplateVersion.objects.filter(version=1, kind__in=KINDS, documents__isnull=True, created_by__isnull=True).delete()
    apps.get_model("core", "LegalSetting").objects.filter(key__in=[s[0] for s in SETTINGS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0005_licence_end_hearings_deliveries"),
        ("documents", "0006_agency_seal"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
