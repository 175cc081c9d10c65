"""The review app's official documents: 法制审核意见书, 集体讨论记录, 重大事项风险评估报告.

Each is issued through `documents.services.document_issue` in the transaction of the act that
records it (the opinion given, the deliberation recorded, the assessment made), under that act's
idempotency key (`review-<kind>-<row id>`), as a document of the case (subject `cases.case`). The
texts are Chinese by nature; the case facts come from the cases app's document helpers.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from org import selectors as org_selectors

SUBJECT_TYPE = "cases.case"

# The seven points of 国办发〔2018〕118号 as the opinion states them.
POINT_TEXT: dict[str, str] = {
    "competent_body": "执法主体合法，执法人员具备执法资格",
    "procedure": "执法程序合法",
    "facts_evidence": "事实清楚，证据合法充分",
    "law_discretion": "适用法律、法规、规章准确，适用裁量基准适当",
    "within_powers": "未超越法定权限",
    "documents": "执法文书完备、规范",
    "crime_transfer": "涉嫌犯罪需移送司法机关",
}
VERDICT_TEXT = {"compliant": "符合", "non_compliant": "不符合", "not_applicable": "不适用"}
OPINION_TEXT = {"pass": "通过", "return_for_correction": "退回补正", "not_pass": "不通过"}
DIMENSION_TEXT: dict[str, str] = {
    "legality": "合法性",
    "integrity": "廉洁性",
    "reasonableness": "合理性",
    "feasibility": "可行性",
    "safety": "安全性",
    "controllability": "可控性",
}
LEVEL_TEXT = {"low": "低", "medium": "中", "high": "高"}
CONCLUSION_TEXT = {
    "low": "风险低，可以按程序作出决定。",
    "medium": "风险可控，落实上述防范化解措施后可以作出决定。",
    "high": "风险较高，应当落实防范化解措施和应急预案，经集体讨论后审慎作出决定。",
}


def _name(user: Any) -> str:
    officer = org_selectors.officer_for(user) if user is not None else None
    return officer.name if officer is not None else str(getattr(user, "username", "") or "")


def _case_keys(case: Any) -> dict[str, Any]:
    from cases.documents import case_name, party_name

    return {"case_number": case.case_number, "case_name": case_name(case), "party_name": party_name(case)}


def _proposed(case: Any) -> str:
    from cases.documents import proposed_decision_text

    return proposed_decision_text(case)


def legal_review_context(review: Any, case: Any) -> dict[str, Any]:
    lines = []
    for code, text in POINT_TEXT.items():
        answer = review.checklist.get(code) or {}
        line = f"{text}：{VERDICT_TEXT.get(answer.get('verdict', ''), '')}"
        note = str(answer.get("note") or "").strip()
        lines.append(f"{line}（{note}）" if note else line)
    opinion = OPINION_TEXT.get(review.opinion, review.opinion)
    reasons = (review.reasons or "").strip()
    return {
        **_case_keys(case),
        "proposed_decision": _proposed(case),
        "review_points": lines,
        "review_opinion": f"{opinion}。{reasons}" if reasons else f"{opinion}。",
        "reviewers": [_name(review.reviewer)],
    }


def deliberation_context(deliberation: Any, case: Any, *, head_names: list[str]) -> dict[str, Any]:
    from cases.documents import cn_date

    opinions = list(deliberation.opinions.all())
    present = {o.attendee_name for o in opinions}
    absent = [name for name in head_names if name not in present]
    return {
        **_case_keys(case),
        "discussion_time": cn_date(deliberation.held_on),
        "discussion_place": deliberation.place or "本机关会议室",
        "presiding": _name(deliberation.chaired_by),
        "recorder": _name(deliberation.recorded_by),
        "attendees": [o.attendee_name for o in opinions],
        "absentees": "、".join(absent),
        "case_summary": f"承办人汇报了案件调查情况和处理意见。{_proposed(case)}。".replace("。。", "。"),
        "opinions": [f"{o.attendee_name}：{o.opinion}" for o in opinions],
        "conclusion": deliberation.conclusion,
    }


def risk_assessment_context(assessment: Any, case: Any) -> dict[str, Any]:
    lines = []
    for code, text in DIMENSION_TEXT.items():
        answer = assessment.dimensions.get(code) or {}
        line = f"{text}：风险{LEVEL_TEXT.get(answer.get('level', ''), '')}"
        note = str(answer.get("note") or "").strip()
        lines.append(f"{line}（{note}）" if note else line)
    level = assessment.overall_level
    return {
        **_case_keys(case),
        "matter": _proposed(case),
        "assessment": lines,
        "risk_level": LEVEL_TEXT.get(level, level),
        "measures": (assessment.mitigation or "").strip() or "风险低，按常规程序执行，无需采取专门措施。",
        "conclusion": CONCLUSION_TEXT.get(level, ""),
        "assessors": [_name(assessment.assessed_by)],
    }


def issue(
    *, actor: Any, case: Any, kind: str, context: Mapping[str, Any], key: str, on: datetime.date
) -> Any:
    """Issue `kind` for the case in the caller's transaction (numbered in the kind's sequence)."""
    from cases.workflow.documents import ensure_number_pattern
    from documents.services import document_issue

    ensure_number_pattern(agency_id=case.agency_id, sequence=kind)
    return document_issue(
        actor=actor,
        kind=kind,
        context=context,
        subject_type=SUBJECT_TYPE,
        subject_id=case.pk,
        agency=case.agency,
        number_sequence=kind,
        on=on,
        key=key,
    )
