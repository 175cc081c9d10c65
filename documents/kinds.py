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


def kind_choices() -> list[tuple[str, Any]]:
    return [(code, spec.title) for code, spec in KINDS.items()]
