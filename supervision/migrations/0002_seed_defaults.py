from django.db import migrations

# Agency policy from seed 003 (孟津县: 排名位于后三名的诫勉谈话, 连续排名靠后的调离工作岗位): configuration.
SETTINGS = [
    ("supervision.bottom_n", 3,
     "[U] assessment: the bottom N of the ranking get an admonition talk (诫勉谈话); repeat → proposal to move "
     "off enforcement duty; agency policy (seed 003)", "seed 003 孟津县国土资源局评议考核办法"),
]

# A default scoring sheet in the shape of the provincial 评查标准 (items, points, deductions). The
# figures are [U]: an example to be replaced by the province's own sheet (a new version on the
# scoring-sheet screen).
SHEET_ITEMS = [
    {"code": "subject", "title": "执法主体与执法人员", "points": 10, "deductions": [
        {"code": "no_cert", "label": "执法人员无执法证件或不足两人", "points": 10},
        {"code": "recusal", "label": "应回避未回避", "points": 5}]},
    {"code": "facts", "title": "事实认定与证据", "points": 30, "deductions": [
        {"code": "facts_unclear", "label": "主要事实不清", "points": 15},
        {"code": "evidence_missing", "label": "主要证据缺失或不合法", "points": 10},
        {"code": "record_defect", "label": "笔录要素不全、未签名", "points": 5}]},
    {"code": "law", "title": "法律适用与裁量", "points": 20, "deductions": [
        {"code": "wrong_basis", "label": "适用依据错误", "points": 15},
        {"code": "discretion", "label": "裁量不当或未说明理由", "points": 5}]},
    {"code": "procedure", "title": "执法程序", "points": 25, "deductions": [
        {"code": "no_notice", "label": "未履行告知程序", "points": 15},
        {"code": "no_review", "label": "应法制审核未审核", "points": 10},
        {"code": "late", "label": "超过法定期限", "points": 5}]},
    {"code": "documents", "title": "文书与归档", "points": 15, "deductions": [
        {"code": "document_defect", "label": "文书要素不全、用语不规范", "points": 5},
        {"code": "delivery", "label": "送达不规范", "points": 5},
        {"code": "archive", "label": "案卷不完整、未按期归档", "points": 5}]},
]

# Default indicators (issue 9 §4): formulas over the metrics of supervision/metrics.py; weights [U].
INDICATORS = [
    ("timeliness", "办案及时率", "closed_on_time / closed", "25", "higher"),
    ("review_first_pass", "法制审核一次通过率", "review_first_pass / review_submitted", "20", "higher"),
    ("reversal", "复议诉讼纠错率", "reversed / decided", "15", "lower"),
    ("publication", "公示及时率", "published_on_time / published", "15", "higher"),
    ("file_review", "案卷评查平均分", "file_score_sum / file_scored", "10", "higher"),
    ("autoreview", "自动评查合格率", "autoreview_clean / autoreview_checked", "10", "higher"),
    ("missed_deadlines", "超期事项数", "missed_deadlines", "5", "lower"),
]


def seed(apps, schema_editor):
    LegalSetting = apps.get_model("core", "LegalSetting")
    for key, value, description, basis in SETTINGS:
        LegalSetting.objects.get_or_create(key=key, defaults={"value": value, "description": description, "basis": basis})
    ScoringSheet = apps.get_model("supervision", "ScoringSheet")
    if not ScoringSheet.objects.exists():
        ScoringSheet.objects.create(name="行政处罚案卷评查标准（默认，待按省级标准调整）", items=SHEET_ITEMS, active=True)
    Indicator = apps.get_model("supervision", "Indicator")
    for code, name, formula, weight, direction in INDICATORS:
        Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "formula": formula, "weight": weight, "direction": direction}
        )


def unseed(apps, schema_editor):
    apps.get_model("core", "LegalSetting").objects.filter(key__in=[k for k, *_ in SETTINGS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
