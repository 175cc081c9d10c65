"""The complaints indicator counts conduct complaints found upheld (complaints now record the
finding with the answer, issue 9 §4) instead of every conduct complaint about an identified
officer. Only the seeded row is changed, and only while its formula is still the seeded one: an
administrator's edit is left alone."""

from django.db import migrations

OLD = ("complaints_conduct", "被投诉（执法行为）件数")
NEW = ("complaints_upheld", "被投诉（执法行为）成立件数")


def forward(apps, schema_editor):
    Indicator = apps.get_model("supervision", "Indicator")
    Indicator.objects.filter(code="complaints", formula=OLD[0]).update(formula=NEW[0], name=NEW[1])


def backward(apps, schema_editor):
    Indicator = apps.get_model("supervision", "Indicator")
    Indicator.objects.filter(code="complaints", formula=NEW[0]).update(formula=OLD[0], name=OLD[1])


class Migration(migrations.Migration):
    dependencies = [("supervision", "0005_circular_and_indicators")]

    operations = [migrations.RunPython(forward, backward)]
