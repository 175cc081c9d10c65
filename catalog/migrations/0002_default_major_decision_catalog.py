"""The default major-decision catalog every agency inherits (agency = NULL).

Statutory triggers are [V] (行政处罚法 Arts.58/63, 自然资源行政处罚办法 Art.34); the money thresholds
are [U] sample values an administrator replaces with the local figure (LEGAL.md §2); the 30,000-yuan
risk-assessment rule is the 2013 bureau's policy (seed 000). Changes go through catalog.services.
"""

import datetime
from decimal import Decimal

from django.db import migrations

START = datetime.date(2021, 7, 15)
SEED_START = datetime.date(2013, 1, 1)
P63 = "《行政处罚法》第63条；《自然资源行政处罚办法》第34条"
P58 = "《行政处罚法》第58条"
SEED = "新密市国土资源局《服务型行政执法工作方案》(2013)：重大事项风险评估"
LOCAL = "地方重大执法决定法制审核目录（示例数值，请按本省规定修改）；" + P58

RULES = [
    # name, trigger, party_kind, amount, requirement, basis, is_sample, start
    ("对个人处较大数额罚款（示例：1万元以上）须法制审核", "fine_at_least", "individual", "10000", "legal_review", LOCAL, True, START),
    ("对单位处较大数额罚款（示例：10万元以上）须法制审核", "fine_at_least", "organisation", "100000", "legal_review", LOCAL, True, START),
    ("对个人处较大数额罚款（示例：1万元以上）应告知听证权利", "fine_at_least", "individual", "10000", "hearing_notice", "地方较大数额标准（示例数值）；" + P63, True, START),
    ("对单位处较大数额罚款（示例：10万元以上）应告知听证权利", "fine_at_least", "organisation", "100000", "hearing_notice", "地方较大数额标准（示例数值）；" + P63, True, START),
    ("没收较大价值财物（示例：10万元以上）应告知听证权利", "confiscation_at_least", "any", "100000", "hearing_notice", "地方较大数额标准（示例数值）；" + P63, True, START),
    ("没收较大价值财物（示例：10万元以上）须法制审核", "confiscation_at_least", "any", "100000", "legal_review", LOCAL, True, START),
    ("吊销、暂扣许可证件应告知听证权利", "revokes_licence", "any", None, "hearing_notice", P63, False, START),
    ("责令停产停业应告知听证权利", "stops_production", "any", None, "hearing_notice", P63, False, START),
    ("限期拆除非法占用土地上新建建筑物应告知听证权利", "demolition", "any", None, "hearing_notice", "《自然资源行政处罚办法》第34条", False, START),
    ("没收违法用地上新建建筑物和其他设施应告知听证权利", "confiscates_buildings", "any", None, "hearing_notice", "《自然资源行政处罚办法》第34条", False, START),
    ("涉及重大公共利益须法制审核", "major_public_interest", "any", None, "legal_review", P58 + "第1款第1项", False, START),
    ("直接关系当事人或第三人重大权益且经过听证程序须法制审核", "hearing_and_major_rights", "any", None, "legal_review", P58 + "第1款第2项", False, START),
    ("案件情况疑难复杂、涉及多个法律关系须法制审核", "complex_case", "any", None, "legal_review", P58 + "第1款第3项", False, START),
    ("案件情况复杂或重大违法行为给予较重处罚须集体讨论", "complex_case", "any", None, "deliberation", "《行政处罚法》第57条第2款", False, START),
    ("吊销许可证件须法制审核", "revokes_licence", "any", None, "legal_review", "《自然资源执法监督规定》；" + P58, False, START),
    ("责令停产停业须法制审核", "stops_production", "any", None, "legal_review", "《自然资源执法监督规定》；" + P58, False, START),
    ("罚款3万元以上须风险评估", "fine_at_least", "any", "30000", "risk_assessment", SEED, False, SEED_START),
    ("房屋征收须风险评估", "expropriation", "any", None, "risk_assessment", SEED, False, SEED_START),
    ("强制拆迁须风险评估", "forced_relocation", "any", None, "risk_assessment", SEED, False, SEED_START),
    ("涉及重大利益的行政许可须风险评估", "licence_major_interests", "any", None, "risk_assessment", SEED, False, SEED_START),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("catalog", "MajorDecisionRule")
    for name, trigger, party, amount, requirement, basis, sample, start in RULES:
        Rule.objects.get_or_create(
            agency=None, trigger=trigger, party_kind=party, requirement=requirement,
            defaults={"name": name, "amount": Decimal(amount) if amount else None, "basis": basis,
                      "is_sample": sample, "effective_from": start},
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
