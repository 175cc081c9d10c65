from django.db import migrations

# Figures of the legal registers (legal.services). LEGAL.md sets none of them: [U] configuration.
# The exemption grounds (免予追究) follow the usual 行政执法过错责任追究办法 of the provinces (seed 003:
# 明确不作为追究、错案追究和免予追究的责任范围); the agency edits the list.
EXEMPTIONS = [
    {"code": "unclear_law", "label": "法律、法规、规章规定不明确或者有关机关对条文理解不一致的"},
    {"code": "party_fraud", "label": "因当事人伪造、隐匿、毁灭证据等行为致使事实认定错误的"},
    {"code": "force_majeure", "label": "因不可抗力或者其他无法预见的客观原因致使过错发生的"},
    {"code": "dissent_recorded", "label": "经集体讨论决定，本人对错误决定持不同意见并记录在案的"},
    {"code": "objection_to_order", "label": "执行上级决定、命令，已提出书面异议的"},
    {"code": "new_evidence", "label": "因出现新证据致使原行政执法行为被改变的"},
]
SETTINGS = [
    ("legal.referral_answer_workdays", 5,
     "[U] working days for the receiving agency to accept or refuse a referral (移送); configuration", ""),
    ("legal.filing_days", 30,
     "[U] calendar days from the decision to file a normative document with the level above; configuration",
     "参照《法规规章备案条例》第三条（30日）"),
    ("legal.accountability_exemptions", EXEMPTIONS,
     "[U] grounds of exemption from accountability (免予追究), code and label; configuration", "seed 003"),
]


def seed(apps, schema_editor):
    LegalSetting = apps.get_model("core", "LegalSetting")
    for key, value, description, basis in SETTINGS:
        LegalSetting.objects.get_or_create(
            key=key, defaults={"value": value, "description": description, "basis": basis}
        )


def unseed(apps, schema_editor):
    LegalSetting = apps.get_model("core", "LegalSetting")
    LegalSetting.objects.filter(key__in=[key for key, *_ in SETTINGS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
