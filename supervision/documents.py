"""The 通报 of an assessment (评议考核结果通报, issue 9 §4), registered with the documents app's kinds at
start-up (`register_kinds`, called from SupervisionConfig.ready) and issued through its public
`document_issue` (rendered, checked, numbered, signed, on the ledger) when the LegalSetting
`supervision.circular` is on. Its default template lives in
supervision/templates/supervision/documents/ and is activated by migration 0005 (version 1).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from documents.kinds import AGENCY_DATE, KINDS, SEAL, Element, KindSpec, _k

KIND = "assessment_circular"
NUMBER_PATTERN = "{prefix}考评通〔{year}〕{seq}号"

SPEC = KindSpec(
    code=KIND,
    official_title="评议考核结果通报",
    title=_("circular of the assessment results (通报)"),
    basis="评议考核办法（seed 003 孟津县：排名通报，后三名诫勉谈话）",
    keys=(
        _k("period_start", _("period from"), True, date=True),
        _k("period_end", _("period to"), True, date=True),
        _k("level_label", _("who was assessed (departments or officers)"), True),
        _k("indicators", _("indicators with their weights (list)"), True, many=True),
        _k("ranking", _("ranking, one line per rank (list)"), True, many=True),
        _k("bottom", _("the bottom of the ranking and what follows (list)"), many=True),
        _k("requirements", _("requirements of the circular")),
    ),
    elements=(
        Element(
            "period",
            _("the period assessed"),
            keys=("period_start", "period_end"),
            markers=("评议考核",),
        ),
        Element("indicators", _("the indicators and their weights"), keys=("indicators",), markers=("指标",)),
        Element("ranking", _("the ranking"), keys=("ranking",), markers=("排名",)),
        AGENCY_DATE,
        SEAL,
    ),
    sample={
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2026, 6, 30),
        "level_label": "科室",
        "indicators": ["办案及时率（权重25，越高越好）", "复议诉讼纠错率（权重15，越低越好）"],
        "ranking": ["第1名：执法监察大队，92.50分", "第2名：法规科，88.00分", "第3名：执法一中队，61.20分"],
        "bottom": ["执法一中队（第3名）：诫勉谈话"],
        "requirements": "各科室要对照指标查找差距，限期整改。",
    },
)


def register_kinds() -> None:
    KINDS.setdefault(SPEC.code, SPEC)


def ensure_number_pattern(*, agency_id: int) -> None:
    """Record the circular's own number pattern for the agency (a system act) unless one is set:
    every document number is unique, so each sequence carries its mark."""
    from core.models import NumberPattern
    from core.scoping import agency_label
    from core.services.numbering import number_pattern_set

    if NumberPattern.objects.filter(agency_id=agency_id, kind=KIND).exists():
        return
    label = agency_label(agency_id)
    prefix = str(label.get("short_name") or label.get("name") or "")[:60]
    number_pattern_set(actor=None, agency_id=agency_id, kind=KIND, pattern=NUMBER_PATTERN, prefix=prefix)


def circular_context(run: Any, results: list[Any], consequences: list[Any]) -> dict[str, Any]:
    """The 通报's data from a run: its indicators as they were, the ranking, the bottom's consequences."""
    higher = "越高越好"
    lower = "越低越好"
    kinds = {"admonition": "诫勉谈话", "transfer_proposal": "提出调离执法岗位建议"}
    by_result = {c.result_id: c for c in consequences}
    return {
        "period_start": run.period_start,
        "period_end": run.period_end,
        "level_label": "科室" if run.level == "department" else "执法人员",
        "indicators": [
            f"{i['name']}（权重{i['weight']}，{higher if i['direction'] == 'higher' else lower}）"
            for i in run.indicators
        ],
        "ranking": [f"第{r.rank}名：{r.subject_name}，{r.score}分" for r in results],
        "bottom": [
            f"{r.subject_name}（第{r.rank}名）：{kinds.get(by_result[r.pk].kind, by_result[r.pk].kind)}"
            for r in results
            if r.pk in by_result
        ],
    }
