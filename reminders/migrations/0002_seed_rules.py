"""Default reminder rules (事前提示, seed 000) and delivery settings as data. Seeding is no one's act,
so no ledger entry; every later change by the system administrator is one."""

from django.db import migrations

PARTY = ["sms", "email", "letter", "phone"]
RULES = [
    ("licence-expiry-holder", "许可证到期提示（持证人）", "licence.expiry", [90, 30, 7], "party", PARTY,
     "{name}：您持有的许可证（编号{reference}）将于{due_date}有效期届满（还有{days}天）。"
     "需要延续的，请在有效期届满30日前向我局提出延续申请。查询码{code}，详见{link}。——{agency}"),
    ("licence-renewal-window", "许可延续申请期限提示", "licence.expiry", [40], "party", PARTY,
     "{name}：您的许可证（编号{reference}）有效期至{due_date}。依照《中华人民共和国行政许可法》第五十条，"
     "延续申请应在有效期届满30日前提出，请在10日内提交。查询码{code}，详见{link}。——{agency}"),
    ("licence-expiry-officer", "许可证到期提示（承办人员）", "licence.expiry", [30], "officer", ["email"],
     "{name}：许可证{reference}（{title}）将于{due_date}到期，请跟进持证人的延续或注销。"),
    ("temporary-land-return", "临时用地交还提示", "licence.temporary_land_return", [30, 7], "party", PARTY,
     "{name}：您的临时用地（批准文号{reference}）应于{due_date}前恢复原状并交还（还有{days}天）。"
     "依照《中华人民共和国土地管理法》第五十七条，临时使用土地期限一般不超过二年。查询码{code}，详见{link}。——{agency}"),
    ("payment-due", "罚没款缴纳期限提示", "cases.payment", [7, 2], "party", ["sms", "letter", "phone"],
     "{name}：行政处罚决定（{reference}）确定的罚没款缴纳期限为{due_date}（还有{days}天）。"
     "逾期不缴纳的，依照《中华人民共和国行政处罚法》第七十二条每日按罚款数额的3%加处罚款。查询码{code}。——{agency}"),
    ("rectification-due", "整改期限提示（处罚案件）", "cases.correction", [7, 2], "party", PARTY,
     "{name}：责令改正（{reference}）的整改期限为{due_date}（还有{days}天），请按期整改并告知我局。查询码{code}。——{agency}"),
    ("guidance-rectification-due", "整改期限提示（行政指导）", "guidance.rectification", [7, 2], "party", PARTY,
     "{name}：行政指导提出的整改期限为{due_date}（还有{days}天），请按期整改并告知我局。查询码{code}。——{agency}"),
]
SETTINGS = [
    ("reminders.quiet_hours", {"start": "21:00", "end": "08:00"}, "提示免打扰时段：此时段内不发送，排队至时段结束", ""),
    ("reminders.max_attempts", 5, "同一渠道发送失败后的最多尝试次数，用尽后改用下一渠道", ""),
    ("reminders.retry_base_minutes", 5, "重试间隔（分钟），每次失败后加倍", ""),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("reminders", "ReminderRule")
    LegalSetting = apps.get_model("core", "LegalSetting")
    for code, name, kind, offsets, audience, channels, text in RULES:
        Rule.objects.get_or_create(
            code=code,
            defaults={"name": name, "deadline_kind": kind, "offsets": offsets, "audience": audience,
                      "channels": channels, "template_text": text},
        )
    for key, value, description, basis in SETTINGS:
        LegalSetting.objects.get_or_create(key=key, defaults={"value": value, "description": description,
                                                              "basis": basis})


def unseed(apps, schema_editor):
    apps.get_model("reminders", "ReminderRule").objects.filter(
        code__in=[r[0] for r in RULES], reminders__isnull=True).delete()
    apps.get_model("core", "LegalSetting").objects.filter(key__in=[s[0] for s in SETTINGS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reminders", "0001_initial"), ("core", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
