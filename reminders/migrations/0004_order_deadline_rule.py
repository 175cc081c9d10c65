"""The deadlines of the orders of a penalty decision (责令退还 / 限期拆除 / 恢复原状, kinds
"cases.order.<n>" opened on delivery by cases.workflow.execution) get reminders too: a rule of the
family "cases.order.*", 7 and 1 days before (issue 8 §2 "rectification due"). Seeding is no one's
act, so no ledger entry; the system administrator edits the rule like any other."""

from django.db import migrations

CODE = "order-performance-due"
RULE = {
    "name": "责令限期履行提示（处罚决定）",
    "deadline_kind": "cases.order.*",
    "offsets": [7, 1],
    "audience": "party",
    "channels": ["sms", "email", "letter", "phone"],
    "template_text": (
        "{name}：行政处罚决定（{reference}）责令的{title}为{due_date}（还有{days}天），"
        "请按期履行并告知我局；逾期不履行的，我局将依法催告并申请人民法院强制执行。查询码{code}。——{agency}"
    ),
}


def seed(apps, schema_editor):
    apps.get_model("reminders", "ReminderRule").objects.get_or_create(code=CODE, defaults=RULE)


def unseed(apps, schema_editor):
    apps.get_model("reminders", "ReminderRule").objects.filter(code=CODE, reminders__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reminders", "0003_deadline_kind_index")]
    operations = [migrations.RunPython(seed, unseed)]
