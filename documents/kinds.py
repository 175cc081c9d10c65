"""The kinds of enforcement documents (文书种类), declared in code: title, context keys, legal elements.

Each `KindSpec` says
- `keys`: the context keys its templates read (the stable contract with whoever builds the context,
  e.g. the cases app's case → context builder), each with its Chinese label and whether it is
  required (a required key that is missing or empty refuses the render, nothing is rendered);
- `elements`: what the law requires the document to contain; each element is present when every
  value of its keys and every one of its markers appears in the text extracted from the PDF. A
  template version whose rendered sample lacks one cannot be activated; a document that lacks one
  cannot be issued;
- `sample`: realistic sample data for the preview and the activation check.

Values are `str`, `datetime.date` (written 2026年3月5日), `int`/`Decimal`, `bool` (flags) or a
list of `str` (keys marked `many`). The service adds these keys itself (SERVICE_KEYS): `number`
(文书编号), `issued_on` (成文日期, a date), `kind_title`, `agency_name` (defaults to the issuing
agency's name; pass it to override), `verification_code` and `verify_url`.

Context keys per kind (* = required):

- case_registration 立案审批表: case_number, case_name*, case_source*, party_name*, party_id_number,
  party_address, facts*, basis*, officers* (list), officer_opinion*, head_opinion, found_on (date)
- stop_order 责令停止违法行为通知书: party_name*, party_id_number, party_address, facts*, basis*,
  order_text*, reconsideration_body*, court*
- rectification_order 责令改正通知书: party_name*, party_id_number, party_address, facts*, basis*,
  rectification_text*, rectification_deadline* (date), reconsideration_body*, court*
- penalty_notice 行政处罚告知书: party_name*, party_id_number*, party_address, facts*, evidence* (list),
  penalty_text*, basis*, hearing_right (flag), contact_address, contact_phone
- hearing_notice 听证通知书: party_name*, party_address, case_name*, hearing_time*, hearing_place*,
  presiding_officer*, hearing_clerk, hearing_public (flag), contact_phone
- penalty_decision 行政处罚决定书: party_name*, party_id_number*, party_address*, party_representative,
  case_name, facts*, evidence* (list), discretion_reason, penalty_text*, basis*, fine_amount,
  performance*, reconsideration_body*, court*
- summary_decision 当场行政处罚决定书: party_name*, party_id_number*, party_address, violation_time*,
  violation_place*, facts*, penalty_text*, basis*, fine_amount, performance*,
  reconsideration_body*, court*, officers* (list, "姓名 执法证号")
- no_penalty_decision 不予行政处罚决定书: party_name*, party_id_number*, party_address, facts*,
  evidence* (list), no_penalty_reason*, basis*, reconsideration_body*, court*
- delivery_receipt 送达回证: delivered_title*, delivered_number*, recipient*, delivery_address*,
  delivery_method*, deliverers* (list), delivered_on, remarks
- payment_reminder 催告书: party_name*, party_address, decision_number*, decision_date* (date),
  obligation*, performance*, surcharge_text, contact_phone
- closing_approval 结案审批表: case_number*, case_name*, party_name*, decision_number, outcome*,
  execution*, closing_reason*, officers* (list), officer_opinion*, head_opinion
- inquiry_notice 询问通知书: party_name*, party_address, case_name*, inquiry_time*, inquiry_place*,
  materials (list: what to bring), contact_person, contact_phone
- investigation_report 调查报告: case_number, case_name*, case_source, party_name*, party_id_number,
  party_address, process* (the course of the investigation), facts*, evidence* (list), basis*,
  discretion_reason, proposal* (the penalty or other handling proposed), officers* (list); the
  report's date is issued_on
- legal_review_opinion 法制审核意见书: case_number, case_name*, party_name*, proposed_decision*,
  review_points* (list, one line per point of 国办发〔2018〕118号, e.g. "执法主体合法：符合"),
  review_opinion* (通过 / 退回补正 / 不通过, with the reasons), reviewers* (list)
- collective_discussion 集体讨论记录: case_number, case_name*, party_name*, discussion_time*,
  discussion_place*, presiding*, recorder*, attendees* (list), absentees, case_summary*,
  opinions* (list, one line per person: "姓名：意见"), conclusion*
- risk_assessment 重大事项风险评估报告: case_number, case_name*, party_name*, matter* (the decision
  assessed), assessment* (list, one line per dimension: 合法性、合理性、可行性、可控性、安全性、
  完整性), risk_level*, measures* (prevention and mitigation), conclusion*, assessors* (list)
- hearing_right_notice 听证告知书: party_name*, party_id_number, party_address, facts*,
  penalty_text* (the penalty intended), basis*, contact_address, contact_phone
- enforcement_application 强制执行申请书: court* (the court applied to), party_name*,
  party_id_number*, party_address*, decision_number*, decision_date* (date), obligation*,
  reminder_number*, reminder_date* (date), non_performance*, application_text*, property_info,
  attachments (list), contact_person, contact_phone
- case_file_cover 案卷封面和卷内目录: case_number*, case_name*, party_name*, outcome*, opened_on* (date),
  closed_on* (date), retention_period*, volume_label, archive_number, filer, checker,
  file_items* (list, one line per filed document: "题名|文号|日期|页号"; the table splits the line
  at "|")
- electronic_delivery_confirmation 电子送达确认书: party_name*, party_id_number, party_address,
  case_name, delivery_channels* (list: "电子邮箱：…", "手机号码：…"), documents_scope,
  contact_phone
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ContextKey:
    name: str
    label: Promise | str
    required: bool = False
    many: bool = False  # a list of strings
    flag: bool = False  # a boolean switching a paragraph on or off
    date: bool = False  # a datetime.date, written 2026年3月5日


@dataclass(frozen=True)
class Element:
    """A content element the law requires; present when all `keys` values and `markers` are in the text."""

    code: str
    label: Promise | str
    keys: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class KindSpec:
    code: str
    official_title: str  # printed on the document whatever the user's language
    title: Promise | str  # shown in the user interface (translated)
    basis: str
    keys: tuple[ContextKey, ...]
    elements: tuple[Element, ...]
    sample: dict[str, Any] = field(default_factory=dict)

    def key(self, name: str) -> ContextKey | None:
        return next((k for k in self.keys if k.name == name), None)


# ------------------------------------------------------------------ shared keys and elements

SERVICE_KEYS: tuple[ContextKey, ...] = (
    ContextKey("number", _("document number")),
    ContextKey("issued_on", _("date of the document"), date=True),
    ContextKey("kind_title", _("document title")),
    ContextKey("agency_name", _("issuing agency")),
    ContextKey("verification_code", _("verification code")),
    ContextKey("verify_url", _("verification address")),
)


def _k(name: str, label: Any, required: bool = False, **kw: Any) -> ContextKey:
    return ContextKey(name, label, required, **kw)


PARTY_NAME = _k("party_name", _("party (name of the person or organisation)"), True)
PARTY_ID = _k("party_id_number", _("identity card number or unified social credit code"))
PARTY_ID_REQ = _k("party_id_number", _("identity card number or unified social credit code"), True)
PARTY_ADDRESS = _k("party_address", _("party's address"))
PARTY_ADDRESS_REQ = _k("party_address", _("party's address"), True)
FACTS = _k("facts", _("facts of the violation"), True)
EVIDENCE = _k("evidence", _("evidence"), True, many=True)
BASIS = _k("basis", _("legal basis"), True)
PENALTY = _k("penalty_text", _("kind and amount of the penalty"), True)
PERFORMANCE = _k("performance", _("manner and deadline of performance"), True)
RECON_BODY = _k("reconsideration_body", _("administrative reconsideration body"), True)
COURT = _k("court", _("people's court for litigation"), True)
OFFICERS = _k("officers", _("officers (name and certificate number)"), True, many=True)

AGENCY_DATE = Element("agency_date", _("name of the agency and the date"), keys=("agency_name", "issued_on"))
SEAL = Element("seal", _("seal area of the agency"), markers=("（印章）",))
REMEDIES = Element(
    "remedies",
    _("routes and time limits for administrative reconsideration and litigation"),
    keys=("reconsideration_body", "court"),
    markers=("行政复议", "行政诉讼", "六十日", "六个月"),
)
PARTY = Element("party", _("the party"), keys=("party_name",))
PARTY_FULL = Element(
    "party",
    _("the party's name, identity number and address"),
    keys=("party_name", "party_id_number", "party_address"),
    markers=("当事人",),
)
APPROVAL = Element("approval", _("approval area of the agency head"), markers=("负责人审批意见",))

PARTY_SAMPLE = {
    "party_name": "某某建材有限公司",
    "party_id_number": "91330100MA2XXXXX0K",
    "party_address": "某某县某某镇工业园区8号",
}
REMEDY_SAMPLE = {"reconsideration_body": "某某县人民政府", "court": "某某县人民法院"}

# ------------------------------------------------------------------ the kinds

KINDS: dict[str, KindSpec] = {}


def _register(spec: KindSpec) -> None:
    KINDS[spec.code] = spec


def register_kind(spec: KindSpec) -> KindSpec:
    """Public: another app declares one of its document kinds (called from its AppConfig.ready).

    Idempotent for the same spec; a code already taken by a different spec is refused, so two apps
    can never silently replace each other's kind. Build the spec's keys with `ContextKey`."""
    current = KINDS.setdefault(spec.code, spec)
    if current is not spec and current != spec:
        raise ValueError(f"document kind {spec.code!r} is already registered with another declaration")
    return current


_register(
    KindSpec(
        code="case_registration",
        official_title="立案审批表",
        title=_("case registration approval form"),
        basis="《行政处罚法》第54条",
        keys=(
            _k("case_number", _("case number")),
            _k("case_name", _("cause of the case"), True),
            _k("case_source", _("source of the case"), True),
            PARTY_NAME,
            PARTY_ID,
            PARTY_ADDRESS,
            _k("facts", _("summary of the case"), True),
            _k("basis", _("basis for registration"), True),
            OFFICERS,
            _k("officer_opinion", _("opinion of the officers in charge"), True),
            _k("head_opinion", _("opinion of the agency head")),
            _k("found_on", _("date the lead was found"), date=True),
        ),
        elements=(
            Element("case", _("cause of the case"), keys=("case_name",), markers=("案由",)),
            Element("source", _("source of the case"), keys=("case_source",), markers=("案件来源",)),
            PARTY,
            Element("facts", _("summary of the case"), keys=("facts",), markers=("简要案情",)),
            Element("basis", _("basis for registration"), keys=("basis",), markers=("立案依据",)),
            Element(
                "officers",
                _("officers in charge and their opinion"),
                keys=("officers", "officer_opinion"),
                markers=("承办人",),
            ),
            APPROVAL,
            AGENCY_DATE,
        ),
        sample={
            **PARTY_SAMPLE,
            "case_number": "某自然资立〔2026〕1号",
            "case_name": "某某建材有限公司非法占用土地案",
            "case_source": "巡查发现",
            "facts": "2026年2月10日巡查发现，当事人未经批准擅自占用某某村集体土地2000平方米建设厂房。",
            "basis": "《中华人民共和国土地管理法》第七十七条",
            "officers": ["张明 执法证号33010001", "李华 执法证号33010002"],
            "officer_opinion": "建议立案调查。",
            "head_opinion": "同意立案。",
            "found_on": datetime.date(2026, 2, 10),
        },
    )
)

_register(
    KindSpec(
        code="stop_order",
        official_title="责令停止违法行为通知书",
        title=_("order to stop an unlawful act"),
        basis="《土地管理法》第七十条；《行政处罚法》第28条",
        keys=(
            PARTY_NAME,
            PARTY_ID,
            PARTY_ADDRESS,
            FACTS,
            BASIS,
            _k("order_text", _("what the party is ordered to stop"), True),
            RECON_BODY,
            COURT,
        ),
        elements=(
            PARTY,
            Element("facts", _("facts of the violation"), keys=("facts",)),
            Element("basis", _("legal basis"), keys=("basis",), markers=("依据",)),
            Element("order", _("what the party is ordered to stop"), keys=("order_text",), markers=("责令",)),
            REMEDIES,
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **PARTY_SAMPLE,
            **REMEDY_SAMPLE,
            "facts": "你单位未经批准，擅自占用某某村集体土地2000平方米建设厂房。",
            "basis": "《中华人民共和国土地管理法》第七十七条",
            "order_text": "立即停止在该地块上的一切建设施工活动",
        },
    )
)

_register(
    KindSpec(
        code="rectification_order",
        official_title="责令改正通知书",
        title=_("order to rectify"),
        basis="《行政处罚法》第28条",
        keys=(
            PARTY_NAME,
            PARTY_ID,
            PARTY_ADDRESS,
            FACTS,
            BASIS,
            _k("rectification_text", _("what is to be rectified"), True),
            _k("rectification_deadline", _("deadline for rectification"), True, date=True),
            RECON_BODY,
            COURT,
        ),
        elements=(
            PARTY,
            Element("facts", _("facts of the violation"), keys=("facts",)),
            Element("basis", _("legal basis"), keys=("basis",), markers=("依据",)),
            Element(
                "rectification",
                _("what is to be rectified and by when"),
                keys=("rectification_text", "rectification_deadline"),
                markers=("改正",),
            ),
            REMEDIES,
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **PARTY_SAMPLE,
            **REMEDY_SAMPLE,
            "facts": "你单位在某某村擅自改变土地用途，将耕地用于堆放建筑材料。",
            "basis": "《中华人民共和国土地管理法》第三十七条",
            "rectification_text": "清除堆放的建筑材料，恢复土地原状",
            "rectification_deadline": datetime.date(2026, 3, 20),
        },
    )
)

_register(
    KindSpec(
        code="penalty_notice",
        official_title="行政处罚告知书",
        title=_("notice of an intended administrative penalty"),
        basis="《行政处罚法》第44条、第45条、第63条、第64条",
        keys=(
            PARTY_NAME,
            PARTY_ID_REQ,
            PARTY_ADDRESS,
            FACTS,
            EVIDENCE,
            _k("penalty_text", _("the penalty intended"), True),
            BASIS,
            _k("hearing_right", _("the party may request a hearing"), flag=True),
            _k("contact_address", _("agency's address for statements")),
            _k("contact_phone", _("agency's telephone")),
        ),
        elements=(
            PARTY,
            Element("facts_evidence", _("facts and evidence"), keys=("facts", "evidence"), markers=("证据",)),
            Element(
                "penalty_basis",
                _("the penalty intended, its reasons and legal basis"),
                keys=("penalty_text", "basis"),
                markers=("拟",),
            ),
            Element("rights", _("the right to make a statement and defence"), markers=("陈述", "申辩")),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **PARTY_SAMPLE,
            "facts": "你单位于2025年6月起未经批准擅自占用某某村集体土地2000平方米建设厂房，"
            "所占土地符合土地利用总体规划。",
            "evidence": ["现场勘测笔录及勘测定界图", "询问笔录", "现场照片12张"],
            "penalty_text": "责令退还非法占用的土地，没收在非法占用的土地上新建的建筑物和其他设施，"
            "并处罚款人民币伍万元整",
            "basis": "《中华人民共和国土地管理法》第七十七条第一款",
            "hearing_right": True,
            "contact_address": "某某县某某路1号",
            "contact_phone": "0571-12345678",
        },
    )
)

_register(
    KindSpec(
        code="hearing_notice",
        official_title="听证通知书",
        title=_("hearing notice"),
        basis="《行政处罚法》第64条",
        keys=(
            PARTY_NAME,
            PARTY_ADDRESS,
            _k("case_name", _("cause of the case"), True),
            _k("hearing_time", _("time of the hearing"), True),
            _k("hearing_place", _("place of the hearing"), True),
            _k("presiding_officer", _("presiding officer"), True),
            _k("hearing_clerk", _("clerk")),
            _k("hearing_public", _("the hearing is public"), flag=True),
            _k("contact_phone", _("agency's telephone")),
        ),
        elements=(
            PARTY,
            Element("case", _("cause of the case"), keys=("case_name",)),
            Element(
                "time_place",
                _("time and place of the hearing"),
                keys=("hearing_time", "hearing_place"),
                markers=("听证",),
            ),
            Element("presiding", _("presiding officer"), keys=("presiding_officer",), markers=("主持人",)),
            Element(
                "rights",
                _("the rights to request recusal and to appoint representatives"),
                markers=("回避", "委托"),
            ),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **PARTY_SAMPLE,
            "case_name": "某某建材有限公司非法占用土地案",
            "hearing_time": "2026年3月16日上午9时30分",
            "hearing_place": "某某县自然资源局三楼听证室",
            "presiding_officer": "王平",
            "hearing_clerk": "赵静",
            "hearing_public": True,
            "contact_phone": "0571-12345678",
        },
    )
)

_DECISION_SAMPLE: dict[str, Any] = {
    **PARTY_SAMPLE,
    **REMEDY_SAMPLE,
    "party_representative": "陈某（法定代表人）",
    "case_name": "非法占用土地案",
    "facts": "经查，你单位于2025年6月起未经批准擅自占用某某村集体土地2000平方米建设厂房，"
    "所占土地符合土地利用总体规划。",
    "evidence": ["现场勘测笔录及勘测定界图", "询问笔录", "现场照片12张"],
    "discretion_reason": "你单位违法占地面积较小且积极配合调查，依照裁量基准属一般情形。",
    "penalty_text": "一、责令退还非法占用的2000平方米土地；二、没收在非法占用的土地上新建的建筑物和其他设施；"
    "三、处罚款人民币伍万元整（¥50,000.00）",
    "basis": "《中华人民共和国土地管理法》第七十七条第一款、《中华人民共和国土地管理法实施条例》第五十七条",
    "fine_amount": "人民币伍万元整（¥50,000.00）",
    "performance": "自收到本决定书之日起十五日内，将罚款缴至某某县财政局指定账户",
}

_register(
    KindSpec(
        code="penalty_decision",
        official_title="行政处罚决定书",
        title=_("administrative penalty decision"),
        basis="《行政处罚法》第59条",
        keys=(
            PARTY_NAME,
            PARTY_ID_REQ,
            PARTY_ADDRESS_REQ,
            _k("party_representative", _("legal representative or person in charge")),
            _k("case_name", _("cause of the case")),
            FACTS,
            EVIDENCE,
            _k("discretion_reason", _("reasons for the discretion")),
            PENALTY,
            BASIS,
            _k("fine_amount", _("amount of the fine")),
            PERFORMANCE,
            RECON_BODY,
            COURT,
        ),
        elements=(
            PARTY_FULL,
            Element(
                "facts_evidence",
                _("facts and evidence of the violation"),
                keys=("facts", "evidence"),
                markers=("违法事实", "证据"),
            ),
            Element(
                "penalty_basis",
                _("kind of penalty and its legal basis"),
                keys=("penalty_text", "basis"),
                markers=("依据",),
            ),
            Element(
                "performance",
                _("manner and deadline of performance"),
                keys=("performance",),
                markers=("履行",),
            ),
            REMEDIES,
            AGENCY_DATE,
            SEAL,
        ),
        sample=_DECISION_SAMPLE,
    )
)

_register(
    KindSpec(
        code="summary_decision",
        official_title="当场行政处罚决定书",
        title=_("on-the-spot administrative penalty decision"),
        basis="《行政处罚法》第51条、第52条",
        keys=(
            PARTY_NAME,
            PARTY_ID_REQ,
            PARTY_ADDRESS,
            _k("violation_time", _("time of the violation"), True),
            _k("violation_place", _("place of the violation"), True),
            FACTS,
            PENALTY,
            BASIS,
            _k("fine_amount", _("amount of the fine")),
            PERFORMANCE,
            RECON_BODY,
            COURT,
            OFFICERS,
        ),
        elements=(
            PARTY,
            Element(
                "facts",
                _("the violation, its time and place"),
                keys=("facts", "violation_time", "violation_place"),
            ),
            Element(
                "penalty_basis",
                _("kind of penalty and its legal basis"),
                keys=("penalty_text", "basis"),
                markers=("依据",),
            ),
            Element(
                "performance",
                _("manner and deadline of performance"),
                keys=("performance",),
                markers=("履行",),
            ),
            REMEDIES,
            Element(
                "officers",
                _("names and certificate numbers of the officers"),
                keys=("officers",),
                markers=("执法人员",),
            ),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **PARTY_SAMPLE,
            **REMEDY_SAMPLE,
            "party_name": "刘某",
            "party_id_number": "330102199001011234",
            "party_address": "某某县某某镇某某村12号",
            "violation_time": "2026年3月5日10时",
            "violation_place": "某某县某某镇某某村",
            "facts": "当事人在某某村基本农田保护区内擅自挖土，破坏种植条件，面积约20平方米。",
            "penalty_text": "警告",
            "basis": "《基本农田保护条例》第三十三条",
            "performance": "本决定当场交付，即时履行",
            "officers": ["张明 执法证号33010001", "李华 执法证号33010002"],
        },
    )
)

_register(
    KindSpec(
        code="no_penalty_decision",
        official_title="不予行政处罚决定书",
        title=_("decision not to impose an administrative penalty"),
        basis="《行政处罚法》第33条、第57条",
        keys=(
            PARTY_NAME,
            PARTY_ID_REQ,
            PARTY_ADDRESS,
            FACTS,
            EVIDENCE,
            _k("no_penalty_reason", _("reason for imposing no penalty"), True),
            BASIS,
            RECON_BODY,
            COURT,
        ),
        elements=(
            PARTY,
            Element("facts_evidence", _("facts and evidence"), keys=("facts", "evidence"), markers=("证据",)),
            Element(
                "reason_basis",
                _("reason and legal basis for imposing no penalty"),
                keys=("no_penalty_reason", "basis"),
                markers=("不予行政处罚",),
            ),
            REMEDIES,
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **PARTY_SAMPLE,
            **REMEDY_SAMPLE,
            "facts": "你单位于2026年1月在某某村临时堆放建筑材料占用土地30平方米，"
            "发现后已于五日内自行清除并恢复原状。",
            "evidence": ["现场检查笔录", "询问笔录", "整改前后照片"],
            "no_penalty_reason": "初次违法且危害后果轻微并及时改正",
            "basis": "《中华人民共和国行政处罚法》第三十三条第一款",
        },
    )
)

_register(
    KindSpec(
        code="delivery_receipt",
        official_title="送达回证",
        title=_("proof of delivery"),
        basis="《行政处罚法》第61条；《民事诉讼法》第87条",
        keys=(
            _k("delivered_title", _("title of the document delivered"), True),
            _k("delivered_number", _("number of the document delivered"), True),
            _k("recipient", _("recipient"), True),
            _k("delivery_address", _("place of delivery"), True),
            _k("delivery_method", _("method of delivery"), True),
            _k("deliverers", _("persons who deliver"), True, many=True),
            _k("delivered_on", _("date of delivery")),
            _k("remarks", _("remarks")),
        ),
        elements=(
            Element(
                "document",
                _("the document delivered and its number"),
                keys=("delivered_title", "delivered_number"),
                markers=("送达文书",),
            ),
            Element("recipient", _("recipient"), keys=("recipient",), markers=("受送达人",)),
            Element("place", _("place of delivery"), keys=("delivery_address",), markers=("送达地点",)),
            Element("method", _("method of delivery"), keys=("delivery_method",), markers=("送达方式",)),
            Element(
                "signatures",
                _("signatures of the recipient and the persons who deliver"),
                keys=("deliverers",),
                markers=("受送达人签名", "送达人"),
            ),
            AGENCY_DATE,
        ),
        sample={
            "delivered_title": "行政处罚决定书",
            "delivered_number": "某自然资罚〔2026〕1号",
            "recipient": "某某建材有限公司",
            "delivery_address": "某某县某某镇工业园区8号",
            "delivery_method": "直接送达",
            "deliverers": ["张明", "李华"],
            "delivered_on": "",
            "remarks": "",
        },
    )
)

_register(
    KindSpec(
        code="payment_reminder",
        official_title="催告书",
        title=_("demand for performance"),
        basis="《行政强制法》第35条、第54条",
        keys=(
            PARTY_NAME,
            PARTY_ADDRESS,
            _k("decision_number", _("number of the decision"), True),
            _k("decision_date", _("date of the decision"), True, date=True),
            _k("obligation", _("obligation not yet performed (with the amount)"), True),
            PERFORMANCE,
            _k("surcharge_text", _("late payment surcharge")),
            _k("contact_phone", _("agency's telephone")),
        ),
        elements=(
            PARTY,
            Element(
                "decision",
                _("the decision and its date"),
                keys=("decision_number", "decision_date"),
                markers=("决定书",),
            ),
            Element("obligation", _("obligation, with the amount"), keys=("obligation",), markers=("义务",)),
            Element(
                "performance",
                _("manner and deadline of performance"),
                keys=("performance",),
                markers=("履行",),
            ),
            Element("rights", _("the right to make a statement and defence"), markers=("陈述", "申辩")),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **PARTY_SAMPLE,
            "decision_number": "某自然资罚〔2026〕1号",
            "decision_date": datetime.date(2026, 1, 8),
            "obligation": "缴纳罚款人民币伍万元整（¥50,000.00）",
            "performance": "自收到本催告书之日起十日内，将罚款及加处罚款缴至某某县财政局指定账户",
            "surcharge_text": "截至本催告书发出之日，已加处罚款人民币壹万伍仟元整",
            "contact_phone": "0571-12345678",
        },
    )
)

_register(
    KindSpec(
        code="closing_approval",
        official_title="结案审批表",
        title=_("case closing approval form"),
        basis="《自然资源行政处罚办法》",
        keys=(
            _k("case_number", _("case number"), True),
            _k("case_name", _("cause of the case"), True),
            PARTY_NAME,
            _k("decision_number", _("number of the decision")),
            _k("outcome", _("outcome of the case"), True),
            _k("execution", _("execution of the decision"), True),
            _k("closing_reason", _("reason for closing"), True),
            OFFICERS,
            _k("officer_opinion", _("opinion of the officers in charge"), True),
            _k("head_opinion", _("opinion of the agency head")),
        ),
        elements=(
            Element("case", _("case number and cause"), keys=("case_number", "case_name"), markers=("案由",)),
            PARTY,
            Element("outcome", _("outcome of the case"), keys=("outcome",), markers=("处理结果",)),
            Element("execution", _("execution of the decision"), keys=("execution",), markers=("执行情况",)),
            Element(
                "officers",
                _("officers in charge and their opinion"),
                keys=("officers", "officer_opinion"),
                markers=("承办人",),
            ),
            APPROVAL,
            AGENCY_DATE,
        ),
        sample={
            "case_number": "某自然资立〔2026〕1号",
            "case_name": "某某建材有限公司非法占用土地案",
            "party_name": "某某建材有限公司",
            "decision_number": "某自然资罚〔2026〕1号",
            "outcome": "责令退还非法占用的土地，没收新建建筑物，罚款人民币伍万元整",
            "execution": "罚款已于2026年1月20日全额缴纳，土地已退还，建筑物已移交",
            "closing_reason": "行政处罚决定已执行完毕",
            "officers": ["张明 执法证号33010001", "李华 执法证号33010002"],
            "officer_opinion": "建议结案。",
            "head_opinion": "同意结案。",
        },
    )
)

# ------------------------------------------------------------------ the rest of the case file

CASE_SAMPLE = {
    "case_number": "某自然资立〔2026〕1号",
    "case_name": "某某建材有限公司非法占用土地案",
}

_register(
    KindSpec(
        code="inquiry_notice",
        official_title="询问通知书",
        title=_("notice to attend an inquiry"),
        basis="《行政处罚法》第54条、第55条",
        keys=(
            PARTY_NAME,
            PARTY_ADDRESS,
            _k("case_name", _("cause of the case"), True),
            _k("inquiry_time", _("time of the inquiry"), True),
            _k("inquiry_place", _("place of the inquiry"), True),
            _k("materials", _("materials to bring"), many=True),
            _k("contact_person", _("contact person")),
            _k("contact_phone", _("agency's telephone")),
        ),
        elements=(
            PARTY,
            Element("case", _("cause of the case"), keys=("case_name",)),
            Element(
                "time_place",
                _("time and place of the inquiry"),
                keys=("inquiry_time", "inquiry_place"),
                markers=("接受询问",),
            ),
            Element("duty", _("the duty to cooperate truthfully"), markers=("如实",)),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **PARTY_SAMPLE,
            "case_name": "某某建材有限公司非法占用土地案",
            "inquiry_time": "2026年2月15日上午9时",
            "inquiry_place": "某某县自然资源局执法监察大队二楼询问室",
            "materials": ["营业执照副本复印件", "法定代表人身份证明", "授权委托书（委托他人的）"],
            "contact_person": "张明",
            "contact_phone": "0571-12345678",
        },
    )
)

_register(
    KindSpec(
        code="investigation_report",
        official_title="调查报告",
        title=_("investigation report"),
        basis="《行政处罚法》第54条、第55条、第57条",
        keys=(
            _k("case_number", _("case number")),
            _k("case_name", _("cause of the case"), True),
            _k("case_source", _("source of the case")),
            PARTY_NAME,
            PARTY_ID,
            PARTY_ADDRESS,
            _k("process", _("course of the investigation"), True),
            FACTS,
            EVIDENCE,
            BASIS,
            _k("discretion_reason", _("reasons for the discretion")),
            _k("proposal", _("handling proposed"), True),
            OFFICERS,
        ),
        elements=(
            Element("case", _("cause of the case"), keys=("case_name",), markers=("案由",)),
            PARTY,
            Element("process", _("course of the investigation"), keys=("process",), markers=("调查经过",)),
            Element(
                "facts_evidence",
                _("facts and evidence of the violation"),
                keys=("facts", "evidence"),
                markers=("违法事实", "证据"),
            ),
            Element("basis", _("legal basis"), keys=("basis",), markers=("依据",)),
            Element("proposal", _("handling proposed"), keys=("proposal",), markers=("处理意见",)),
            Element("officers", _("officers in charge"), keys=("officers",), markers=("承办人",)),
            AGENCY_DATE,
        ),
        sample={
            **PARTY_SAMPLE,
            **CASE_SAMPLE,
            "case_source": "巡查发现",
            "process": "2026年2月10日巡查发现后，本局于2026年2月12日立案，执法人员于2月12日进行现场勘测，"
            "2月15日询问当事人法定代表人陈某，调取了土地权属资料和规划资料。",
            "facts": "当事人于2025年6月起未经批准擅自占用某某村集体土地2000平方米建设厂房，"
            "所占土地符合土地利用总体规划。",
            "evidence": ["现场勘测笔录及勘测定界图", "询问笔录", "现场照片12张", "土地利用总体规划图"],
            "basis": "《中华人民共和国土地管理法》第七十七条第一款、"
            "《中华人民共和国土地管理法实施条例》第五十七条",
            "discretion_reason": "违法占地面积较小且积极配合调查，依照裁量基准属一般情形。",
            "proposal": "责令退还非法占用的土地，没收在非法占用的土地上新建的建筑物和其他设施，"
            "并处罚款人民币伍万元整",
            "officers": ["张明 执法证号33010001", "李华 执法证号33010002"],
        },
    )
)

_register(
    KindSpec(
        code="legal_review_opinion",
        official_title="法制审核意见书",
        title=_("legal review opinion"),
        basis="《行政处罚法》第58条；国办发〔2018〕118号",
        keys=(
            _k("case_number", _("case number")),
            _k("case_name", _("cause of the case"), True),
            PARTY_NAME,
            _k("proposed_decision", _("decision proposed"), True),
            _k("review_points", _("the points reviewed, each with its finding"), True, many=True),
            _k("review_opinion", _("opinion of the legal review, with the reasons"), True),
            _k("reviewers", _("legal reviewers"), True, many=True),
        ),
        elements=(
            Element("case", _("cause of the case"), keys=("case_name",), markers=("案由",)),
            PARTY,
            Element("proposal", _("decision proposed"), keys=("proposed_decision",), markers=("拟作出",)),
            Element("points", _("the points reviewed"), keys=("review_points",), markers=("审核内容",)),
            Element(
                "opinion", _("opinion of the legal review"), keys=("review_opinion",), markers=("审核意见",)
            ),
            Element("reviewers", _("legal reviewers"), keys=("reviewers",), markers=("审核人员",)),
            AGENCY_DATE,
        ),
        sample={
            **CASE_SAMPLE,
            "party_name": "某某建材有限公司",
            "proposed_decision": "责令退还非法占用的土地，没收在非法占用的土地上新建的建筑物和其他设施，"
            "并处罚款人民币伍万元整",
            "review_points": [
                "执法主体合法，执法人员具备执法资格：符合",
                "执法程序合法：符合",
                "事实清楚，证据合法充分：符合",
                "适用法律、法规、规章准确，适用裁量基准适当：符合",
                "未超越法定权限：符合",
                "执法文书完备、规范：符合",
                "涉嫌犯罪需移送司法机关：不适用",
            ],
            "review_opinion": "通过。本案事实清楚，证据确凿，适用依据正确，程序合法，处罚适当。",
            "reviewers": ["王平 法律职业资格证书号A20161100000000"],
        },
    )
)

_register(
    KindSpec(
        code="collective_discussion",
        official_title="集体讨论记录",
        title=_("record of the collective deliberation"),
        basis="《行政处罚法》第57条第2款",
        keys=(
            _k("case_number", _("case number")),
            _k("case_name", _("cause of the case"), True),
            PARTY_NAME,
            _k("discussion_time", _("time of the deliberation"), True),
            _k("discussion_place", _("place of the deliberation"), True),
            _k("presiding", _("presiding person"), True),
            _k("recorder", _("recorder"), True),
            _k("attendees", _("persons present"), True, many=True),
            _k("absentees", _("persons absent and why")),
            _k("case_summary", _("summary of the case presented"), True),
            _k("opinions", _("opinions expressed (one per person)"), True, many=True),
            _k("conclusion", _("decision of the deliberation"), True),
        ),
        elements=(
            Element("case", _("cause of the case"), keys=("case_name",), markers=("案由",)),
            PARTY,
            Element(
                "time_place",
                _("time and place of the deliberation"),
                keys=("discussion_time", "discussion_place"),
                markers=("讨论时间", "讨论地点"),
            ),
            Element(
                "persons",
                _("presiding person, recorder and persons present"),
                keys=("presiding", "recorder", "attendees"),
                markers=("主持人", "记录人", "出席人员"),
            ),
            Element("opinions", _("opinions expressed"), keys=("opinions",), markers=("讨论意见",)),
            Element(
                "conclusion", _("decision of the deliberation"), keys=("conclusion",), markers=("讨论决定",)
            ),
            Element("signatures", _("signatures of the persons present"), markers=("出席人员签名",)),
            AGENCY_DATE,
        ),
        sample={
            **CASE_SAMPLE,
            "party_name": "某某建材有限公司",
            "discussion_time": "2026年2月25日下午3时",
            "discussion_place": "某某县自然资源局三楼会议室",
            "presiding": "赵局长",
            "recorder": "孙丽",
            "attendees": ["赵局长", "钱副局长", "孙科长", "李科长", "张明（承办人）"],
            "absentees": "周副局长（出差）",
            "case_summary": "承办人张明汇报了案件调查情况、拟处罚意见及法制审核意见。",
            "opinions": [
                "钱副局长：事实清楚，同意承办人意见。",
                "孙科长：罚款数额符合裁量基准一般情形，同意。",
                "李科长：同意。",
            ],
            "conclusion": "同意承办人意见，对当事人作出责令退还土地、没收建筑物"
            "并处罚款人民币伍万元整的行政处罚。",
        },
    )
)

_register(
    KindSpec(
        code="risk_assessment",
        official_title="重大事项风险评估报告",
        title=_("risk assessment report on a major decision"),
        basis="新密国土资〔2013〕9号；《重大行政决策程序暂行条例》第22条",
        keys=(
            _k("case_number", _("case number")),
            _k("case_name", _("cause of the case"), True),
            PARTY_NAME,
            _k("matter", _("decision assessed"), True),
            _k("assessment", _("assessment per dimension (one line each)"), True, many=True),
            _k("risk_level", _("overall risk level"), True),
            _k("measures", _("prevention and mitigation measures"), True),
            _k("conclusion", _("conclusion of the assessment"), True),
            _k("assessors", _("assessors"), True, many=True),
        ),
        elements=(
            Element("case", _("cause of the case"), keys=("case_name",), markers=("案由",)),
            PARTY,
            Element("matter", _("decision assessed"), keys=("matter",), markers=("评估事项",)),
            Element("assessment", _("assessment per dimension"), keys=("assessment",), markers=("风险分析",)),
            Element("level", _("overall risk level"), keys=("risk_level",), markers=("风险等级",)),
            Element(
                "measures", _("prevention and mitigation measures"), keys=("measures",), markers=("措施",)
            ),
            Element(
                "conclusion", _("conclusion of the assessment"), keys=("conclusion",), markers=("评估结论",)
            ),
            Element("assessors", _("assessors"), keys=("assessors",), markers=("评估人员",)),
            AGENCY_DATE,
        ),
        sample={
            **CASE_SAMPLE,
            "party_name": "某某建材有限公司",
            "matter": "没收当事人在非法占用的土地上新建的厂房（建筑面积1800平方米）",
            "assessment": [
                "合法性：决定有明确法律依据，程序合法，风险低",
                "合理性：处罚与违法情节相当，风险低",
                "可行性：当事人表示配合，执行条件具备，风险低",
                "可控性：厂房内有工人二十余名，需做好安置解释工作，风险中",
                "安全性：执行过程无重大安全隐患，风险低",
                "完整性：相关部门意见已征求，风险低",
            ],
            "risk_level": "中",
            "measures": "执行前与当事人及所在镇政府沟通，做好工人安置和解释工作；执行时安排应急预案。",
            "conclusion": "风险可控，可以作出决定。",
            "assessors": ["钱副局长", "孙科长", "王平"],
        },
    )
)

_register(
    KindSpec(
        code="hearing_right_notice",
        official_title="听证告知书",
        title=_("notice of the right to a hearing"),
        basis="《行政处罚法》第63条、第64条",
        keys=(
            PARTY_NAME,
            PARTY_ID,
            PARTY_ADDRESS,
            FACTS,
            _k("penalty_text", _("the penalty intended"), True),
            BASIS,
            _k("contact_address", _("agency's address for statements")),
            _k("contact_phone", _("agency's telephone")),
        ),
        elements=(
            PARTY,
            Element("facts", _("facts of the violation"), keys=("facts",)),
            Element(
                "penalty_basis",
                _("the penalty intended and its legal basis"),
                keys=("penalty_text", "basis"),
                markers=("拟",),
            ),
            Element(
                "hearing",
                _("the right to request a hearing and the time limit"),
                markers=("听证", "五日内"),
            ),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **PARTY_SAMPLE,
            "facts": "你单位于2025年6月起未经批准擅自占用某某村集体土地2000平方米建设厂房。",
            "penalty_text": "责令退还非法占用的土地，没收在非法占用的土地上新建的建筑物和其他设施，"
            "并处罚款人民币伍万元整",
            "basis": "《中华人民共和国土地管理法》第七十七条第一款",
            "contact_address": "某某县某某路1号",
            "contact_phone": "0571-12345678",
        },
    )
)

_register(
    KindSpec(
        code="enforcement_application",
        official_title="强制执行申请书",
        title=_("application to the court for enforcement"),
        basis="《行政强制法》第53条至第55条；《行政处罚法》第72条",
        keys=(
            _k("court", _("people's court applied to"), True),
            PARTY_NAME,
            PARTY_ID_REQ,
            PARTY_ADDRESS_REQ,
            _k("decision_number", _("number of the decision"), True),
            _k("decision_date", _("date of the decision"), True, date=True),
            _k("obligation", _("obligation not yet performed (with the amount)"), True),
            _k("reminder_number", _("number of the demand for performance"), True),
            _k("reminder_date", _("date of the demand for performance"), True, date=True),
            _k("non_performance", _("how the party failed to perform"), True),
            _k("application_text", _("what the court is asked to enforce"), True),
            _k("property_info", _("the party's property")),
            _k("attachments", _("attachments"), many=True),
            _k("contact_person", _("contact person")),
            _k("contact_phone", _("agency's telephone")),
        ),
        elements=(
            Element("applicant", _("the applicant agency"), keys=("agency_name",), markers=("申请人",)),
            PARTY_FULL,
            Element(
                "decision",
                _("the decision and its date"),
                keys=("decision_number", "decision_date"),
                markers=("决定书",),
            ),
            Element(
                "reminder",
                _("the demand for performance and its date"),
                keys=("reminder_number", "reminder_date"),
                markers=("催告",),
            ),
            Element(
                "application",
                _("what the court is asked to enforce"),
                keys=("obligation", "application_text"),
                markers=("申请执行",),
            ),
            Element("court", _("people's court applied to"), keys=("court",), markers=("此致",)),
            Element("head", _("signature of the agency head"), markers=("负责人（签名）",)),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **PARTY_SAMPLE,
            "court": "某某县人民法院",
            "decision_number": "某自然资罚〔2026〕1号",
            "decision_date": datetime.date(2026, 1, 8),
            "obligation": "缴纳罚款人民币伍万元整（¥50,000.00）及加处罚款人民币伍万元整",
            "reminder_number": "某自然资催〔2026〕3号",
            "reminder_date": datetime.date(2026, 7, 15),
            "non_performance": "被申请人在法定期限内未申请行政复议，也未提起行政诉讼，经催告后逾期仍未履行。",
            "application_text": "强制执行罚款人民币伍万元整及加处罚款人民币伍万元整",
            "property_info": "被申请人在某某银行某某支行开立基本存款账户",
            "attachments": ["行政处罚决定书及送达回证", "催告书及送达回证", "当事人意见及本机关复核意见"],
            "contact_person": "张明",
            "contact_phone": "0571-12345678",
        },
    )
)

_register(
    KindSpec(
        code="case_file_cover",
        official_title="案卷封面和卷内目录",
        title=_("case file cover and list of contents"),
        basis="《自然资源行政处罚办法》；《行政执法案卷立卷规范》",
        keys=(
            _k("case_number", _("case number"), True),
            _k("case_name", _("cause of the case"), True),
            PARTY_NAME,
            _k("outcome", _("outcome of the case"), True),
            _k("opened_on", _("date the case was registered"), True, date=True),
            _k("closed_on", _("date the case was closed"), True, date=True),
            _k("retention_period", _("retention period"), True),
            _k("volume_label", _("volume (e.g. 第1卷 共1卷)")),
            _k("archive_number", _("archive number")),
            _k("filer", _("person who made up the file")),
            _k("checker", _("person who checked the file")),
            _k(
                "file_items",
                _("documents filed, one per line: title|number|date|page"),
                True,
                many=True,
            ),
        ),
        elements=(
            Element(
                "cover", _("case number and cause"), keys=("case_number", "case_name"), markers=("案由",)
            ),
            PARTY,
            Element("outcome", _("outcome of the case"), keys=("outcome",), markers=("处理结果",)),
            Element(
                "dates",
                _("dates of registration and closing"),
                keys=("opened_on", "closed_on"),
                markers=("立案日期", "结案日期"),
            ),
            Element("retention", _("retention period"), keys=("retention_period",), markers=("保管期限",)),
            Element("contents", _("list of contents"), markers=("卷内目录", "序号", "页号")),
            AGENCY_DATE,
        ),
        sample={
            **CASE_SAMPLE,
            "party_name": "某某建材有限公司",
            "outcome": "责令退还非法占用的土地，没收新建建筑物，罚款人民币伍万元整",
            "opened_on": datetime.date(2026, 2, 12),
            "closed_on": datetime.date(2026, 8, 20),
            "retention_period": "长期",
            "volume_label": "第1卷 共1卷",
            "archive_number": "2026-ZF-001",
            "filer": "张明",
            "checker": "李华",
            "file_items": [
                "立案审批表|某自然资立〔2026〕1号|2026-02-12|1-2",
                "现场勘测笔录||2026-02-12|3-6",
                "询问笔录||2026-02-15|7-12",
                "调查报告||2026-02-20|13-16",
                "行政处罚告知书|某自然资告〔2026〕1号|2026-02-28|17-18",
                "行政处罚决定书|某自然资罚〔2026〕1号|2026-03-10|19-21",
                "送达回证||2026-03-11|22",
                "结案审批表||2026-08-20|23",
            ],
        },
    )
)

_register(
    KindSpec(
        code="electronic_delivery_confirmation",
        official_title="电子送达确认书",
        title=_("consent to electronic delivery"),
        basis="《行政处罚法》第61条第2款",
        keys=(
            PARTY_NAME,
            PARTY_ID,
            PARTY_ADDRESS,
            _k("case_name", _("cause of the case")),
            _k("delivery_channels", _("electronic addresses for delivery"), True, many=True),
            _k("documents_scope", _("documents that may be delivered electronically")),
            _k("contact_phone", _("agency's telephone")),
        ),
        elements=(
            PARTY,
            Element(
                "channels",
                _("the electronic addresses the party accepts"),
                keys=("delivery_channels",),
                markers=("电子送达",),
            ),
            Element("consent", _("the party's consent"), markers=("同意",)),
            Element("effect", _("when a delivery takes effect"), markers=("视为送达",)),
            Element("signature", _("signature of the party"), markers=("受送达人（签名）",)),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            **PARTY_SAMPLE,
            "case_name": "某某建材有限公司非法占用土地案",
            "delivery_channels": ["电子邮箱：chenmou@example.com", "手机号码：13800000000"],
            "documents_scope": "行政处罚告知书、行政处罚决定书、催告书等本案执法文书",
            "contact_phone": "0571-12345678",
        },
    )
)


# ------------------------------------------------------------------ issue 8: guidance and mediation
# (appended by the guidance/mediation apps; their version 1 templates are seeded by
# guidance/migrations and mediation/migrations from documents/templates/documents/defaults/)

_register(
    KindSpec(
        code="mediation_agreement",
        official_title="行政调解协议书",
        title=_("administrative mediation agreement"),
        basis="国发〔2010〕33号（加强行政调解）；issue 8 §5",
        keys=(
            _k("mediation_number", _("mediation number"), True),
            _k("dispute_kind", _("kind of dispute"), True),
            _k("parties", _("parties and their representatives"), True, many=True),
            _k("dispute", _("the dispute"), True),
            _k("terms", _("terms agreed"), True, many=True),
            _k("performance", _("manner and time of performance"), True),
            _k("mediator", _("mediator"), True),
            _k("signatures", _("signatures of the parties"), True, many=True),
        ),
        elements=(
            Element("parties", _("the parties"), keys=("parties",), markers=("当事人",)),
            Element("dispute", _("the dispute"), keys=("dispute",), markers=("纠纷事项",)),
            Element("terms", _("terms agreed"), keys=("terms",), markers=("协议内容",)),
            Element(
                "performance", _("manner and time of performance"), keys=("performance",), markers=("履行",)
            ),
            Element("voluntary", _("the parties agreed voluntarily"), markers=("自愿",)),
            Element(
                "signatures", _("signatures of both parties"), keys=("signatures",), markers=("当事人签名",)
            ),
            Element("mediator", _("the mediator"), keys=("mediator",), markers=("调解人",)),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            "mediation_number": "某调〔2026〕1号",
            "dispute_kind": "土地使用权争议",
            "parties": [
                "申请人：张某某，身份证件号码（统一社会信用代码）：330102199001011234，住所：某某县某某镇东村3组",
                "被申请人：某某村民委员会；法定代表人：李某某",
            ],
            "dispute": "双方对某某镇东村3组宅基地东侧约120平方米土地的使用权存在争议。",
            "terms": ["一、争议土地东侧60平方米由申请人使用。", "二、被申请人于2026年4月30日前拆除界墙。"],
            "performance": "双方于2026年4月30日前履行完毕。",
            "mediator": "张明",
            "signatures": ["张某某（已签名，2026年3月5日）", "李某某（已签名，2026年3月5日）"],
        },
    )
)

GUIDANCE_KEYS = (
    PARTY_NAME,
    PARTY_ADDRESS,
    _k("matter", _("the matter"), True),
    _k("content", _("prompt or guidance given"), True, many=True),
    _k("basis", _("legal basis")),
    _k("rectification_text", _("what is to be rectified")),
    _k("rectification_deadline", _("rectification deadline"), date=True),
    _k("contact_phone", _("agency's telephone")),
)
GUIDANCE_SAMPLE = {
    **PARTY_SAMPLE,
    "matter": "临时用地使用期满后的复垦与交还",
    "content": ["一、临时用地使用期限届满前应完成复垦。", "二、复垦完成后及时申请验收并交还土地。"],
    "basis": "《土地管理法》第五十七条",
    "rectification_text": "清理临时用地上的建筑垃圾并恢复种植条件",
    "rectification_deadline": datetime.date(2026, 4, 30),
    "contact_phone": "0571-12345678",
}

_register(
    KindSpec(
        code="guidance_prompt",
        official_title="行政提示书",
        title=_("administrative prompt (advance reminder)"),
        basis="服务型行政执法：事前提示（seed 000、004）",
        keys=GUIDANCE_KEYS,
        elements=(
            PARTY,
            Element("matter", _("the matter"), keys=("matter",), markers=("提示事项",)),
            Element("content", _("prompt given"), keys=("content",), markers=("提示内容",)),
            AGENCY_DATE,
            SEAL,
        ),
        sample=GUIDANCE_SAMPLE,
    )
)

_register(
    KindSpec(
        code="guidance_opinion",
        official_title="行政指导意见书",
        title=_("administrative guidance opinion"),
        basis="服务型行政执法：事中指导、行政指导（seed 000、001、004）",
        keys=GUIDANCE_KEYS,
        elements=(
            PARTY,
            Element("matter", _("the matter"), keys=("matter",), markers=("指导事项",)),
            Element("content", _("guidance given"), keys=("content",), markers=("指导意见",)),
            Element("non_binding", _("guidance is not binding"), markers=("不具有强制力",)),
            AGENCY_DATE,
            SEAL,
        ),
        sample=GUIDANCE_SAMPLE,
    )
)


# ------------------------------------------------------------------ issue 8 §7: serious violators
# (appended by the publicity app; its version 1 template is seeded by publicity/migrations from
# documents/templates/documents/defaults/violator_notice.html)

_register(
    KindSpec(
        code="violator_notice",
        official_title="拟列入严重违法失信名单告知书",
        title=_("notice of an intended listing as a serious violator"),
        basis="国办发〔2020〕49号（列入前告知，听取陈述申辩）",
        keys=(
            PARTY_NAME,
            _k("decision_number", _("number of the decision"), True),
            _k("rule_title", _("what qualifies the party for the list"), True),
            _k("legal_basis", _("legal basis of the list"), True),
            _k("display_period", _("display period"), True),
            _k("objection_days", _("working days to object"), True),
            _k("objection_until", _("objections until"), True, date=True),
        ),
        elements=(
            PARTY,
            Element("decision", _("the decision"), keys=("decision_number",), markers=("决定书",)),
            Element("reason", _("the reason for the listing"), keys=("rule_title",), markers=("列入事由",)),
            Element("basis", _("the legal basis"), keys=("legal_basis",), markers=("依据",)),
            Element("display", _("the display period"), keys=("display_period",), markers=("公示期",)),
            Element(
                "objection",
                _("the right to object and its time limit"),
                keys=("objection_until",),
                markers=("陈述", "申辩"),
            ),
            Element("repair", _("credit repair"), markers=("信用修复",)),
            AGENCY_DATE,
            SEAL,
        ),
        sample={
            "party_name": "某某建材有限公司",
            "decision_number": "某自然资罚〔2026〕8号",
            "rule_title": "被吊销许可证件",
            "legal_basis": "国办发〔2020〕49号；《行政处罚法》第九条",
            "display_period": "36个月",
            "objection_days": 5,
            "objection_until": datetime.date(2026, 4, 10),
        },
    )
)


def kind_choices() -> list[tuple[str, Any]]:
    return [(code, spec.title) for code, spec in KINDS.items()]
