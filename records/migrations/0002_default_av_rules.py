"""Default audio-video rules (国办发〔2018〕118号 as applied by local implementing rules, LEGAL.md §2).

Required: 查封扣押, 强制拆除, questioning in the agency's case-handling room (执法办案场所).
As needed: on-site enforcement, 调查取证, 听证, 留置送达, 公告送达. Rows are data: an administrator
changes them through records.services.av_rule_update (a ledger act each time);
`records.services.av_rules_record_defaults` records these seeded rows in the ledger.
"""

from django.db import migrations

BASIS = "国办发〔2018〕118号 三项制度；地方执法全过程记录实施办法"
DEFAULTS = [
    ("seizure", "查封、扣押", "seize", {}, "", "required"),
    ("demolition", "强制拆除", "demolish", {}, "", "required"),
    ("questioning_in_room", "执法办案场所内询问", "report", {}, "interview", "required"),
    ("on_site", "现场执法", "on_site", {}, "", "as_needed"),
    ("investigation", "调查取证", "investigate", {}, "", "as_needed"),
    ("hearing", "听证", "hold_hearing", {}, "", "as_needed"),
    ("delivery_left", "留置送达", "deliver", {"method": ["left_at_residence"]}, "", "as_needed"),
    ("delivery_notice", "公告送达", "deliver", {"method": ["public_notice"]}, "", "as_needed"),
]


def seed(apps, schema_editor):
    AvRule = apps.get_model("records", "AvRule")
    for code, label, action, when, record_kind, requirement in DEFAULTS:
        AvRule.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "action": action,
                "when": when,
                "record_kind": record_kind,
                "requirement": requirement,
                "basis": BASIS,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
