"""The documents of licensing (行政许可法 Arts.32, 38, 39; hearings Arts.47–48; ending a licence
Arts.8, 69, 70), registered with the documents app at start-up through its public
`documents.kinds.register_kind` (`register_kinds`, called from ServiceConfig.ready) and rendered
through its public `document_issue` (sealed, dated, numbered, signed, on the ledger). Their default
templates live in service/templates/service/documents/ and are activated by migrations 0003 and 0006
(version 1 of each).

The remedies (行政复议 / 行政诉讼) name the bodies of `cases.document_agency_data` (LegalSetting,
shared with the penalty documents) or, by default, the people's government and the court of the
agency's region.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.models import LegalSetting
from documents.kinds import AGENCY_DATE, REMEDIES, SEAL, ContextKey, Element, KindSpec, register_kind

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "service" / "documents"
_REGION = re.compile(r"^(.+?(?:县|区|旗|市))")


def _k(name: str, label: Any, required: bool = False, **kw: Any) -> ContextKey:
    return ContextKey(name, label, required, **kw)


APPLICANT = _k("applicant_name", _("applicant"), True)
APPLICANT_ID = _k("applicant_id_number", _("identity number or credit code"))
KIND_NAME = _k("licence_kind", _("licence applied for"), True)
PROJECT = _k("project", _("project or scope applied for"), True)
RECEIVED = _k("received_on", _("received on"), True, date=True)
CODE = _k("tracking_code", _("tracking code"))
RECON = _k("reconsideration_body", _("administrative reconsideration body"), True)
COURT = _k("court", _("people's court for litigation"), True)

APPLICANT_EL = Element("applicant", _("the applicant"), keys=("applicant_name",), markers=("申请人",))
MATTER_EL = Element("matter", _("the licence applied for"), keys=("licence_kind", "project"))
RECEIVED_EL = Element("received", _("the date of receipt"), keys=("received_on",), markers=("收到",))

SAMPLE: dict[str, Any] = {
    "applicant_name": "某某建材有限公司",
    "applicant_id_number": "91330100MA2XXXXX0K",
    "licence_kind": "建设工程规划许可证",
    "project": "某某厂房扩建工程",
    "received_on": datetime.date(2026, 3, 2),
    "tracking_code": "ABCD-EFGH-JKMN",
    "reconsideration_body": "某某县人民政府",
    "court": "某某县人民法院",
}

SPECS = (
    KindSpec(
        code="licence_acceptance",
        official_title="行政许可受理通知书",
        title=_("notice of acceptance of a licence application"),
        basis="《行政许可法》第32条",
        keys=(
            APPLICANT,
            APPLICANT_ID,
            KIND_NAME,
            PROJECT,
            RECEIVED,
            CODE,
            _k("decision_due", _("decision due by"), True, date=True),
            _k("deemed", _("accepted on receipt by law"), flag=True),
        ),
        elements=(
            APPLICANT_EL,
            MATTER_EL,
            RECEIVED_EL,
            Element("accepted", _("the acceptance"), markers=("予以受理",)),
            Element("limit", _("the decision time limit"), keys=("decision_due",), markers=("第四十二条",)),
            AGENCY_DATE,
            SEAL,
        ),
        sample={**SAMPLE, "decision_due": datetime.date(2026, 3, 30), "deemed": False},
    ),
    KindSpec(
        code="licence_correction",
        official_title="行政许可补正材料通知书",
        title=_("notice to complete the materials of a licence application"),
        basis="《行政许可法》第32条第1款第4项",
        keys=(
            APPLICANT,
            APPLICANT_ID,
            KIND_NAME,
            PROJECT,
            RECEIVED,
            CODE,
            _k("missing", _("materials to be completed (list)"), True, many=True),
        ),
        elements=(
            APPLICANT_EL,
            MATTER_EL,
            RECEIVED_EL,
            Element(
                "missing",
                _("the complete list of missing materials"),
                keys=("missing",),
                markers=("一次告知",),
            ),
            AGENCY_DATE,
            SEAL,
        ),
        sample={**SAMPLE, "missing": ["建设工程设计方案总平面图", "土地使用权属证明"]},
    ),
    KindSpec(
        code="licence_rejection",
        official_title="不予受理行政许可申请决定书",
        title=_("decision not to accept a licence application"),
        basis="《行政许可法》第32条第1款第1、2项",
        keys=(
            APPLICANT,
            APPLICANT_ID,
            KIND_NAME,
            PROJECT,
            RECEIVED,
            CODE,
            _k("reason", _("reason"), True),
            RECON,
            COURT,
        ),
        elements=(
            APPLICANT_EL,
            MATTER_EL,
            RECEIVED_EL,
            Element("reason", _("the reason"), keys=("reason",), markers=("不予受理",)),
            REMEDIES,
            AGENCY_DATE,
            SEAL,
        ),
        sample={**SAMPLE, "reason": "该事项依法不属于本机关职权范围，请向某某市自然资源局申请"},
    ),
    KindSpec(
        code="licence_grant",
        official_title="准予行政许可决定书",
        title=_("decision to grant a licence"),
        basis="《行政许可法》第38条第1款、第39条",
        keys=(
            APPLICANT,
            APPLICANT_ID,
            KIND_NAME,
            PROJECT,
            RECEIVED,
            CODE,
            _k("location", _("location"), True),
            _k("valid_from", _("valid from"), True, date=True),
            _k("valid_until", _("valid until"), True, date=True),
            _k("conditions", _("conditions")),
            _k("issue_due", _("licence issued by"), True, date=True),
        ),
        elements=(
            APPLICANT_EL,
            MATTER_EL,
            Element("grant", _("the grant"), markers=("准予",)),
            Element(
                "validity",
                _("the period of validity"),
                keys=("valid_from", "valid_until"),
                markers=("有效期",),
            ),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **SAMPLE,
            "location": "某某县某某镇工业园区8号",
            "valid_from": datetime.date(2026, 3, 20),
            "valid_until": datetime.date(2027, 3, 19),
            "conditions": "按批准的设计方案建设",
            "issue_due": datetime.date(2026, 4, 3),
        },
    ),
    KindSpec(
        code="licence_refusal",
        official_title="不予行政许可决定书",
        title=_("decision to refuse a licence"),
        basis="《行政许可法》第38条第2款",
        keys=(
            APPLICANT,
            APPLICANT_ID,
            KIND_NAME,
            PROJECT,
            RECEIVED,
            CODE,
            _k("reason", _("reason"), True),
            RECON,
            COURT,
        ),
        elements=(
            APPLICANT_EL,
            MATTER_EL,
            Element("reason", _("the reasons of the refusal"), keys=("reason",), markers=("不予行政许可",)),
            REMEDIES,
            AGENCY_DATE,
            SEAL,
        ),
        sample={**SAMPLE, "reason": "拟建项目不符合经批准的控制性详细规划"},
    ),
    KindSpec(
        code="licence_hearing_right",
        official_title="行政许可听证告知书",
        title=_("notice of the right to a hearing on a licence application"),
        basis="《行政许可法》第47条",
        keys=(
            APPLICANT,
            APPLICANT_ID,
            KIND_NAME,
            PROJECT,
            RECEIVED,
            CODE,
            _k("hearing_reason", _("why the licence concerns a hearing"), True),
            _k("request_days", _("working days to request a hearing"), True),
            _k("request_due", _("hearing to be requested by"), True, date=True),
        ),
        elements=(
            APPLICANT_EL,
            MATTER_EL,
            Element("right", _("the right to request a hearing"), markers=("听证",)),
            Element(
                "limit",
                _("the time limit to request it"),
                keys=("request_due",),
                markers=("第四十七条",),
            ),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **SAMPLE,
            "hearing_reason": "该许可事项直接关系他人重大利益",
            "request_days": 5,
            "request_due": datetime.date(2026, 3, 13),
        },
    ),
    KindSpec(
        code="licence_hearing_notice",
        official_title="行政许可听证通知书",
        title=_("notice of a licence hearing"),
        basis="《行政许可法》第48条第1款第1项",
        keys=(
            APPLICANT,
            KIND_NAME,
            PROJECT,
            CODE,
            _k("hearing_time", _("time of the hearing"), True),
            _k("hearing_place", _("place of the hearing"), True),
            _k("presiding_officer", _("presiding officer"), True),
            _k("public", _("held in public"), flag=True),
        ),
        elements=(
            APPLICANT_EL,
            MATTER_EL,
            Element(
                "when_where",
                _("the time and place of the hearing"),
                keys=("hearing_time", "hearing_place"),
                markers=("听证",),
            ),
            Element("presiding", _("the presiding officer"), keys=("presiding_officer",)),
            Element("recusal", _("the right to ask for recusal"), markers=("回避",)),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **SAMPLE,
            "hearing_time": "2026年3月27日上午9时30分",
            "hearing_place": "某某县自然资源局三楼听证室",
            "presiding_officer": "李某（法规科）",
            "public": True,
        },
    ),
    *(
        KindSpec(
            code=code,
            official_title=official,
            title=title,
            basis=basis,
            keys=(
                _k("holder_name", _("licence holder"), True),
                _k("holder_id_number", _("identity number or credit code")),
                _k("licence_kind", _("licence"), True),
                _k("licence_number", _("licence number"), True),
                _k("licence_issued_on", _("licence issued on"), True, date=True),
                _k("reason", _("reason"), True),
                _k("legal_basis", _("legal basis"), True),
                RECON,
                COURT,
            ),
            elements=(
                Element("holder", _("the licence holder"), keys=("holder_name",)),
                Element("licence", _("the licence concerned"), keys=("licence_kind", "licence_number")),
                Element("decision", _("the decision"), keys=("reason", "legal_basis"), markers=(marker,)),
                REMEDIES,
                AGENCY_DATE,
                SEAL,
            ),
            sample={
                "holder_name": "某某建材有限公司",
                "holder_id_number": "91330100MA2XXXXX0K",
                "licence_kind": "采矿许可证",
                "licence_number": "某采矿〔2024〕3号",
                "licence_issued_on": datetime.date(2024, 5, 6),
                "reason": sample_reason,
                "legal_basis": basis_sample,
                "reconsideration_body": "某某县人民政府",
                "court": "某某县人民法院",
            },
        )
        for code, official, title, basis, marker, sample_reason, basis_sample in (
            (
                "licence_revocation",
                "撤销行政许可决定书",
                _("decision to revoke a licence"),
                "《行政许可法》第69条",
                "撤销",
                "被许可人以提供虚假材料的欺骗手段取得该行政许可",
                "《中华人民共和国行政许可法》第六十九条第二款",
            ),
            (
                "licence_withdrawal",
                "撤回行政许可决定书",
                _("decision to withdraw a licence"),
                "《行政许可法》第8条第2款",
                "撤回",
                "许可所依据的客观情况发生重大变化，为了公共利益的需要",
                "《中华人民共和国行政许可法》第八条第二款",
            ),
            (
                "licence_cancellation",
                "注销行政许可决定书",
                _("decision to cancel a licence"),
                "《行政许可法》第70条",
                "注销",
                "行政许可有效期届满未延续",
                "《中华人民共和国行政许可法》第七十条第一项",
            ),
        )
    ),
)

KIND_CODES = tuple(spec.code for spec in SPECS)

# Every document number is unique (documents.Document.number): each sequence gets its customary mark
# when the agency configured no pattern of its own (core NumberPattern), as cases does.
NUMBER_PATTERNS: dict[str, str] = {
    "licence_acceptance": "{prefix}许受〔{year}〕{seq}号",
    "licence_correction": "{prefix}许补〔{year}〕{seq}号",
    "licence_rejection": "{prefix}许不受〔{year}〕{seq}号",
    "licence_grant": "{prefix}准许〔{year}〕{seq}号",
    "licence_refusal": "{prefix}不准许〔{year}〕{seq}号",
    "licence_hearing_right": "{prefix}许听告〔{year}〕{seq}号",
    "licence_hearing_notice": "{prefix}许听通〔{year}〕{seq}号",
    "licence_revocation": "{prefix}撤许〔{year}〕{seq}号",
    "licence_withdrawal": "{prefix}撤回许〔{year}〕{seq}号",
    "licence_cancellation": "{prefix}注许〔{year}〕{seq}号",
    "licence_construction_land_planning": "地字第{prefix}{year}{seq:05d}号",
    "licence_construction_project_planning": "建字第{prefix}{year}{seq:05d}号",
    "licence_rural_construction_planning": "乡字第{prefix}{year}{seq:05d}号",
    "licence_mining": "{prefix}采矿〔{year}〕{seq}号",
    "licence_exploration": "{prefix}探矿〔{year}〕{seq}号",
    "licence_temporary_land": "{prefix}临用〔{year}〕{seq}号",
}


def ensure_number_pattern(*, agency_id: int, sequence: str) -> None:
    """Record the default pattern of `sequence` for the agency (a system act) unless one is set."""
    from core.models import NumberPattern
    from core.scoping import agency_label
    from core.services.numbering import number_pattern_set

    if NumberPattern.objects.filter(agency_id=agency_id, kind=sequence).exists():
        return
    pattern = NUMBER_PATTERNS.get(sequence) or "{prefix}许〔{year}〕{kind}-{seq}号"
    label = agency_label(agency_id)
    prefix = str(label.get("short_name") or label.get("name") or "")[:60]
    number_pattern_set(actor=None, agency_id=agency_id, kind=sequence, pattern=pattern, prefix=prefix)


def register_kinds() -> None:
    for spec in SPECS:
        register_kind(spec)


def remedy_bodies(agency: Any) -> dict[str, str]:
    """行政复议机关 and the court of first instance of the agency (shared agency data, else by region)."""
    data = (
        LegalSetting.objects.filter(key="cases.document_agency_data").values_list("value", flat=True).first()
    )
    mine = (data or {}).get(getattr(agency, "code", ""), {}) if isinstance(data, dict) else {}
    match = _REGION.match(getattr(agency, "name", "") or "")
    region = match.group(1) if match else ""
    return {
        "reconsideration_body": mine.get("reconsideration_body")
        or (f"{region}人民政府" if region else "本机关的本级人民政府"),
        "court": mine.get("court") or (f"{region}人民法院" if region else "本机关所在地的基层人民法院"),
    }
