from django.db import migrations

# The default licence kinds of a natural-resources bureau (issue 8 §1), each linked to its power-list
# item (权责清单, catalog/data/powers.csv) where the catalog has one, and to the field of enforcement
# whose certificate the handling staff must hold (seed 004: 持证上岗).
#
# 不动产登记 (real-estate registration) is deliberately NOT a kind here: it is 行政确认
# (administrative confirmation under the 不动产登记暂行条例), not an administrative licence under
# the 行政许可法, so it has none of the licence time limits, renewal or post-licence supervision.
KINDS = [
    # code, name, power code, field, basis, temporary land, usual validity (months)
    ("construction_land_planning", "建设用地规划许可证", "ZR-XK-004", "planning", "《城乡规划法》第37条、第38条", False, None),
    ("construction_project_planning", "建设工程规划许可证", "ZR-XK-005", "planning", "《城乡规划法》第40条", False, 12),
    ("rural_construction_planning", "乡村建设规划许可证", "ZR-XK-006", "planning", "《城乡规划法》第41条", False, 12),
    ("mining", "采矿许可证", "ZR-XK-003", "mineral", "《矿产资源法》第3条、第16条", False, 120),
    ("exploration", "探矿许可证", "", "mineral", "《矿产资源法》第3条、《矿产资源勘查区块登记管理办法》", False, 60),
    ("temporary_land", "临时用地批准", "ZR-XK-001", "land", "《土地管理法》第57条", True, 24),
]

# 行政许可法 (LEGAL.md §3, [V]): the figures as data, editable by the system administrator.
SETTINGS = [
    ("service.correction_notice_workdays", 5, "list every missing material once within (working days) of receipt, else accepted on receipt", "《行政许可法》第32条"),
    ("service.decision_workdays", 20, "decide on a licence within (working days) of acceptance", "《行政许可法》第42条"),
    ("service.extension_workdays", 10, "extension of the decision time limit with the head's approval (working days)", "《行政许可法》第42条"),
    ("service.joint_decision_workdays", 45, "joint or centralised handling: decide within (working days)", "《行政许可法》第42条第2款"),
    ("service.joint_extension_workdays", 15, "joint handling: extension with the government head's approval (working days)", "《行政许可法》第42条第2款"),
    ("service.issue_workdays", 10, "issue the licence within (working days) of the decision to grant", "《行政许可法》第44条"),
    ("service.renewal_min_days", 30, "renewal applied for at least (calendar days) before expiry", "《行政许可法》第50条"),
]

# [U] post-licence inspection interval by risk level (days): agency policy, configuration.
FREQUENCIES = [("high", 90), ("medium", 180), ("low", 365)]


def seed(apps, schema_editor):
    LicenceKind = apps.get_model("service", "LicenceKind")
    for code, name, power, field, basis, temporary, months in KINDS:
        LicenceKind.objects.get_or_create(
            code=code,
            defaults={"name": name, "power_code": power, "field_code": field, "basis": basis,
                      "temporary_land": temporary, "validity_months": months},
        )
    LegalSetting = apps.get_model("core", "LegalSetting")
    for key, value, description, basis in SETTINGS:
        LegalSetting.objects.get_or_create(key=key, defaults={"value": value, "description": description, "basis": basis})
    SupervisionFrequency = apps.get_model("service", "SupervisionFrequency")
    for level, days in FREQUENCIES:
        SupervisionFrequency.objects.get_or_create(risk_level=level, defaults={"interval_days": days})


def unseed(apps, schema_editor):
    apps.get_model("service", "LicenceKind").objects.filter(code__in=[k[0] for k in KINDS], applications__isnull=True, licences__isnull=True).delete()
    apps.get_model("core", "LegalSetting").objects.filter(key__in=[s[0] for s in SETTINGS]).delete()
    apps.get_model("service", "SupervisionFrequency").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
