"""Issue 9 §4, remaining gaps: the 通报 circular's template (version 1, active; seeding is no one's
act, so no ledger entry — as documents/0002 and service/0003 do), the LegalSetting that says
whether an assessment run issues one (off by default: "where configured"), and the indicators of
follow-up satisfaction, conduct complaints and exam results (weights [U], edited on the assessment
screen)."""

from pathlib import Path

from django.db import migrations

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "supervision" / "documents" / "assessment_circular.html"
KIND = "assessment_circular"

SETTINGS = [
    ("supervision.circular", False,
     "[U] assessment: each run also issues the ranking as a 通报 (评议考核结果通报) through the documents app",
     "seed 003 孟津县国土资源局评议考核办法（排名通报）"),
]

INDICATORS = [
    ("followup_satisfaction", "回访满意率", "followup_satisfied / followup_answered", "10", "higher"),
    ("complaints", "被投诉（执法行为）件数", "complaints_conduct", "5", "lower"),
    ("exam_score", "学法考试平均成绩", "exam_percent_sum / exam_taken", "10", "higher"),
]


def seed(apps, schema_editor):
    TemplateVersion = apps.get_model("documents", "TemplateVersion")
    if not TemplateVersion.objects.filter(kind=KIND).exists():
        TemplateVersion.objects.create(
            kind=KIND, version=1, body=TEMPLATE.read_text(encoding="utf-8"), note="默认模板", status="active"
        )
    LegalSetting = apps.get_model("core", "LegalSetting")
    for key, value, description, basis in SETTINGS:
        LegalSetting.objects.get_or_create(key=key, defaults={"value": value, "description": description, "basis": basis})
    Indicator = apps.get_model("supervision", "Indicator")
    for code, name, formula, weight, direction in INDICATORS:
        Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "formula": formula, "weight": weight, "direction": direction}
        )


def unseed(apps, schema_editor):
    apps.get_model("documents", "TemplateVersion").objects.filter(
        kind=KIND, version=1, documents__isnull=True, created_by__isnull=True
    ).delete()
    apps.get_model("core", "LegalSetting").objects.filter(key__in=[k for k, *_ in SETTINGS]).delete()
    apps.get_model("supervision", "Indicator").objects.filter(code__in=[c for c, *_ in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0004_sheet_total_run_circular"),
        ("documents", "0008_violator_notice_kind"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
