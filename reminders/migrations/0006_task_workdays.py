"""How many working days an officer has to do a reminder task (call the party, post the letter,
reach a party the channels could not) before it is overdue for the head's first-contact list
(首问负责 / 限时办结, issue 8 §6): [U] configuration, default 3 working days."""

from django.db import migrations

KEY = "reminders.task_workdays"


def seed(apps, schema_editor):
    apps.get_model("core", "LegalSetting").objects.get_or_create(
        key=KEY,
        defaults={
            "value": 3,
            "description": "[U] 提示任务（电话、寄送提示书、无法送达时另行联系）应在分派后几个工作日内完成，逾期列入负责人的超期清单",
            "basis": "",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "LegalSetting").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("reminders", "0005_notification"), ("core", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
