from django.db import migrations

# Legal figures the penalty procedure reads (cases.selectors.legal_setting). Changed later only
# through a ledger act; these are the statutory defaults (LEGAL.md §1, §5, §7).
SETTINGS = [
    ("cases.statement_window_workdays", 5, "陈述申辩 window after the notice is delivered (working days)",
     "行政处罚法 Art.45; 自然资源行政处罚办法 Art.33"),
    ("cases.hearing_request_workdays", 5, "hearing request window after the notice is delivered (working days)",
     "行政处罚法 Art.64(一)"),
    ("cases.hearing_notice_min_workdays", 7, "hearing notice at least this many working days before the hearing",
     "行政处罚法 Art.64(二)"),
    ("cases.decision_calendar_days", 90, "decision within this many calendar days of 立案",
     "行政处罚法 Art.60"),
    ("cases.delivery_workdays", 7, "decision delivered within this many working days",
     "行政处罚法 Art.61"),
    ("cases.payment_calendar_days", 15, "fine paid within this many calendar days of delivery",
     "行政处罚法 Art.67"),
    ("cases.limitation_years", 2, "limitation period (years, from the end of a continuing act)",
     "行政处罚法 Art.36"),
    ("cases.limitation_years_extended", 5,
     "limitation period where public life, health or financial security is involved and harm resulted",
     "行政处罚法 Art.36"),
    ("cases.crime_transfer_mu", {"basic_farmland": 5, "farmland": 10, "other": 20},
     "land occupied (亩) from which the case is proposed for transfer to the public security organ",
     "刑法 Art.342; 法释〔2000〕14号"),
]


def seed(apps, schema_editor):
    LegalSetting = apps.get_model("core", "LegalSetting")
    for key, value, description, basis in SETTINGS:
        LegalSetting.objects.get_or_create(
            key=key, defaults={"value": value, "description": description, "basis": basis}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
