from django.db import migrations, models


class Migration(migrations.Migration):
    """Index for the case lists: newest cases first within the actor's agencies (benchmarks/RESULTS.md)."""

    dependencies = [
        ("cases", "0005_seed_summary_settings"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["agency", "id"], name="cases_case_agency_id"),
        ),
    ]
