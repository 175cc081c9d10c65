"""Default follow-up rules (事后回访, seeds 000 and 004): a closed penalty case is followed up by its
handling officer 30 days after closing, a granted licence 60 days after issue; the questionnaire
(回访意见表) is expected back within 15 days, else the officer calls or visits. Seeding is no one's
act, so no ledger entry; every later change by the system administrator is one."""

from django.db import migrations

RULES = [
    ("case-closed", "处罚案件结案回访", "case_closed", 30, 15, "案件承办人员",
     "随处罚决定书送达回访意见表（附二维码），逾期未回的电话或上门回访"),
    ("licence-granted", "许可颁发后回访", "licence_granted", 60, 15, "许可承办人员",
     "向持证人寄送回访意见表（附二维码），逾期未回的电话或上门回访"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("followups", "FollowupRule")
    for code, name, source, days_after, answer_days, by_whom, method in RULES:
        Rule.objects.get_or_create(code=code, defaults={
            "name": name, "source": source, "days_after": days_after, "answer_days": answer_days,
            "by_whom": by_whom, "method": method})


def unseed(apps, schema_editor):
    apps.get_model("followups", "FollowupRule").objects.filter(
        code__in=[r[0] for r in RULES], followups__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
