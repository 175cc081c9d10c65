"""The default audio-video rules name steps the case workflows have (cases/workflow/*.py).

0002 seeded `seize`, `demolish` and `on_site`, which are no workflow step: a land agency does not
seize or demolish by itself — both happen when the court's ruling is enforced (行政强制法 Arts.44, 53;
土地管理法 Art.83), recorded by the step `record_court_outcome` with the on-site `measure` taken;
on-site enforcement (现场执法) is the summary procedure's `record_on_spot`. Only rows still as
seeded are changed (an administrator's edit, a ledger act of records.services.av_rule_update, is kept).
"""

from typing import Any

from django.db import migrations

MOVES = [
    # code, seeded action, new action, new condition
    ("seizure", "seize", "record_court_outcome", {"measure": ["seizure"]}),
    ("demolition", "demolish", "record_court_outcome", {"measure": ["demolition"]}),
    ("on_site", "on_site", "record_on_spot", {}),
]


def forwards(apps: Any, schema_editor: Any) -> None:
    AvRule = apps.get_model("records", "AvRule")
    for code, seeded, action, when in MOVES:
        AvRule.objects.filter(code=code, action=seeded, when={}).update(action=action, when=when)


def backwards(apps: Any, schema_editor: Any) -> None:
    AvRule = apps.get_model("records", "AvRule")
    for code, seeded, action, when in MOVES:
        AvRule.objects.filter(code=code, action=action, when=when).update(action=seeded, when={})


class Migration(migrations.Migration):
    dependencies = [("records", "0004_seed_filing_and_retention")]
    operations = [migrations.RunPython(forwards, backwards)]
