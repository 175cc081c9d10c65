from decimal import Decimal

from django.db import migrations

# 严重违法失信名单: what qualifies, as data. 国办发〔2020〕49号 requires every list to rest on a law,
# regulation or central policy, the party to be told beforehand and heard, and a display period with
# credit repair. The thresholds are [U]: each province sets its own; the administrator edits them.
RULES = [
    (
        "revocation",
        "被吊销许可证件",
        "[U] 因违法行为被吊销自然资源领域许可证件（采矿许可证、建设工程规划许可证等）的。",
        "国办发〔2020〕49号；《行政处罚法》第九条",
        None,
        ["revocation"],
        36,
    ),
    (
        "large_fine",
        "受到较大数额罚款",
        "[U] 因违法行为受到 20 万元以上罚款的（省级认定标准未核实，按本机关配置）。",
        "国办发〔2020〕49号；[U] 本省自然资源领域严重失信主体认定标准",
        Decimal("200000.00"),
        [],
        36,
    ),
    (
        "demolition",
        "非法占地被责令限期拆除",
        "[U] 非法占用土地建设，被决定限期拆除在非法占用的土地上新建的建筑物和其他设施的。",
        "《土地管理法》第七十七条；国办发〔2020〕49号",
        None,
        ["demolition"],
        36,
    ),
]
SETTINGS = [
    (
        "publicity.violator_objection_workdays",
        5,
        "[U] the party notified of an intended listing may object within (working days)",
        "国办发〔2020〕49号（列入前告知，听取陈述申辩）",
    ),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("publicity", "ViolatorRule")
    LegalSetting = apps.get_model("core", "LegalSetting")
    for code, title, description, basis, min_fine, kinds, months in RULES:
        Rule.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "description": description,
                "legal_basis": basis,
                "min_fine": min_fine,
                "penalty_kinds": kinds,
                "display_months": months,
            },
        )
    for key, value, description, basis in SETTINGS:
        LegalSetting.objects.get_or_create(
            key=key, defaults={"value": value, "description": description, "basis": basis}
        )


def unseed(apps, schema_editor):
    apps.get_model("publicity", "ViolatorRule").objects.filter(code__in=[r[0] for r in RULES]).delete()
    apps.get_model("core", "LegalSetting").objects.filter(key__in=[s[0] for s in SETTINGS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0005_violators"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
