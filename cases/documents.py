"""The official documents of a case: one context builder per document kind, and their issue.

Each builder maps a Case (parties, officers, facts, discretion, decided kinds and amount, orders,
deadlines, deliveries) to the context keys its kind declares in `documents/kinds.py`; the workflow
issues the documents as effects of its transitions (`issue_effect`) and checks beforehand, cheaply
and without rendering, that every required key has a value (`documents_ready`), so that a decision
without every element 行政处罚法 Art.59 requires cannot be made.

The texts are Chinese by nature (they are official documents). Legal figures are data:
- `cases.document_agency_data` (LegalSetting): {agency code: {reconsideration_body, court,
  payment_channel, hearing_place, contact_phone, contact_address}}, each optional; defaults: the
  people's government and the basic people's court of the agency's region (行政复议法 2023 Art.24,
  行政诉讼法 Arts.14, 18), the agency's own address and telephone;
- `cases.payment_calendar_days` (15, 行政处罚法 Art.67), `cases.reminder_perform_workdays` (10,
  行政强制法 Art.54); the surcharge rate is the one the execution services compute with (Art.72).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy

from cases.memo import memo_active, memoised
from cases.models import (
    Case,
    CaseOfficer,
    CaseStatus,
    DeliveryMethod,
    LeadSource,
    PartyType,
    PenaltyKind,
    ProposedOutcome,
)
from cases.selectors import case_party_list, legal_setting, legal_setting_int, with_case
from core.prepared import PreparedRead

SUBJECT_TYPE = "cases.case"

# The article each document answers to, in the form the case guards cite.
KIND_BASIS: dict[str, str] = {
    "case_registration": "行政处罚法 Art.54",
    "stop_order": "行政处罚法 Art.28",
    "rectification_order": "行政处罚法 Art.28",
    "penalty_notice": "行政处罚法 Art.44",
    "hearing_notice": "行政处罚法 Art.64",
    "penalty_decision": "行政处罚法 Art.59",
    "no_penalty_decision": "行政处罚法 Arts.57, 59",
    "summary_decision": "行政处罚法 Art.52",
    "delivery_receipt": "行政处罚法 Art.61",
    "payment_reminder": "行政强制法 Art.35",
    "closing_approval": "行政处罚法 Art.47",
    "hearing_right_notice": "行政处罚法 Arts.63, 64",
    "investigation_report": "行政处罚法 Arts.55, 57",
    "enforcement_application": "行政强制法 Arts.53–55",
    "electronic_delivery_confirmation": "行政处罚法 Art.61",
}

# What the officer does to supply a missing key (shown with the refusal).
HINTS: dict[str, Any] = {
    "party_address": gettext_lazy("record the party's address"),
    "party_id_number": gettext_lazy("record the party's identity number"),
    "party_name": gettext_lazy("record the party"),
    "evidence": gettext_lazy("register the evidence of the case (or list it in the facts)"),
    "basis": gettext_lazy("name the power item, the violation (discretion standard) or the legal basis"),
    "officers": gettext_lazy("assign the officers in charge"),
    "facts": gettext_lazy("record the facts of the case"),
    "penalty_text": gettext_lazy("decide the kind (and amount) of the penalty"),
    "performance": gettext_lazy("decide the kind (and amount) of the penalty"),
    "proposal": gettext_lazy("propose the outcome of the investigation"),
    "delivery_channels": gettext_lazy(
        "give the e-mail address or mobile number the party agreed to receive documents at "
        "(electronic_address)"
    ),
    "reminder_number": gettext_lazy("serve the written reminder (催告书) first"),
}

# Keys that come from the act's request body: not checked while listing the available actions.
BODY_KEYS: dict[str, frozenset[str]] = {
    "stop_order": frozenset({"order_text"}),
    "rectification_order": frozenset({"rectification_text", "rectification_deadline"}),
    "hearing_notice": frozenset({"hearing_time", "presiding_officer"}),
    "summary_decision": frozenset({"penalty_text", "basis", "performance", "fine_amount"}),
    "delivery_receipt": frozenset({"delivery_method"}),
    "investigation_report": frozenset({"proposal"}),
    "enforcement_application": frozenset({"court", "obligation", "application_text"}),
    "electronic_delivery_confirmation": frozenset({"delivery_channels"}),
}

SOURCE_NAMES: dict[str, str] = {
    LeadSource.PATROL: "巡查发现",
    LeadSource.COMPLAINT: "投诉",
    LeadSource.REPORT: "举报",
    LeadSource.REFERRAL: "有关部门移送",
    LeadSource.SATELLITE: "卫片执法检查发现",
    LeadSource.ASSIGNMENT: "上级交办",
}
LAND_CLASS_NAMES = {"basic_farmland": "永久基本农田", "farmland": "耕地", "other": "其他土地"}
METHOD_NAMES: dict[str, str] = {
    DeliveryMethod.IN_PERSON: "直接送达",
    DeliveryMethod.LEFT_AT_RESIDENCE: "留置送达",
    DeliveryMethod.POST: "邮寄送达",
    DeliveryMethod.ENTRUSTED: "委托送达",
    DeliveryMethod.ELECTRONIC: "电子送达",
    DeliveryMethod.PUBLIC_NOTICE: "公告送达",
}
NO_PENALTY_GROUNDS: dict[str, tuple[str, str]] = {
    ProposedOutcome.NO_PENALTY_MINOR: (
        "违法行为轻微并及时改正，没有造成危害后果",
        "《中华人民共和国行政处罚法》第三十三条第一款",
    ),
    ProposedOutcome.FIRST_VIOLATION: (
        "初次违法且危害后果轻微并及时改正",
        "《中华人民共和国行政处罚法》第三十三条第一款",
    ),
    ProposedOutcome.NO_PENALTY_FACTS: (
        "违法事实不能成立",
        "《中华人民共和国行政处罚法》第五十七条第一款第三项",
    ),
}
REGISTRATION_BASIS = "《中华人民共和国行政处罚法》第五十四条"
KIND_PHRASES: dict[str, str] = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.SUSPENSION: "暂扣许可证件",
    PenaltyKind.REVOCATION: "吊销许可证件",
    PenaltyKind.STOP_PRODUCTION: "责令停产停业",
}
ORDER_PHRASES = {
    "return_land": "责令退还非法占用的土地",
    "demolish": "责令限期拆除在非法占用的土地上新建的建筑物和其他设施",
    "restore": "责令限期恢复土地原状",
    "confiscate_buildings": "没收在非法占用的土地上新建的建筑物和其他设施",
}

# ---------------------------------------------------------------- Chinese numbers, money and dates

_DIGITS = "零一二三四五六七八九"
_UPPER = "零壹贰叁肆伍陆柒捌玖"


def cn_date(value: datetime.date | None) -> str:
    """2026年3月5日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def cn_number(n: int) -> str:
    """15 → 十五, 60 → 六十, 105 → 一百零五 (for periods written in words)."""
    if n < 0 or n >= 10000:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += _DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def _section(n: int) -> str:
    """0..9999 in financial capitals (壹仟零伍), without the leading zero."""
    out, zero = "", False
    for value, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += _UPPER[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def rmb_upper(amount: Decimal) -> str:
    """50000 → 伍万元整, 1234.5 → 壹仟贰佰叁拾肆元伍角 (人民币大写)."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0:
        return "负" + rmb_upper(-amount)
    yuan = int(amount)
    fen_total = int((amount - yuan) * 100)
    jiao, fen = divmod(fen_total, 10)
    parts: list[str] = []
    groups = []
    rest = yuan
    while rest:
        groups.append(rest % 10000)
        rest //= 10000
    units = ["", "万", "亿", "万亿"]
    text, need_zero = "", False
    for i in range(len(groups) - 1, -1, -1):
        group = groups[i]
        if group:
            if need_zero or (text and group < 1000):
                text += "零"
            text += _section(group) + units[i]
            need_zero = False
        elif text:
            need_zero = True
    if text:
        parts.append(text + "元")
    if jiao:
        parts.append(_UPPER[jiao] + "角")
    elif fen and text:
        parts.append("零")
    if fen:
        parts.append(_UPPER[fen] + "分")
    if not parts:
        return "零元整"
    result = "".join(parts)
    return result + ("" if jiao or fen else "整")


def money(amount: Decimal | None) -> str:
    """人民币5,000.00元（大写：伍仟元整）."""
    if amount is None:
        return ""
    value = Decimal(amount).quantize(Decimal("0.01"))
    return f"人民币{value:,.2f}元（大写：{rmb_upper(value)}）"


def _numbered(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return "；".join(f"{cn_number(i)}、{text}" for i, text in enumerate(items, start=1))


# ---------------------------------------------------------------- case data


def _parties(case: Case) -> list[Any]:
    return case_party_list(case)


def party_name(case: Case) -> str:
    return "、".join(p.name for p in _parties(case))


def party_id_number(case: Case) -> str:
    return "、".join(p.id_number for p in _parties(case) if p.id_number)


def party_address(case: Case) -> str:
    """Every party's address; empty when one of them has none (the document cannot name it)."""
    parties = _parties(case)
    if not parties or any(not (p.address or "").strip() for p in parties):
        return ""
    return "；".join(p.address.strip() for p in parties)


def party_representative(case: Case) -> str:
    return "、".join(
        p.representative for p in _parties(case) if p.party_type != PartyType.NATURAL and p.representative
    )


def officers(case: Case, on: datetime.date) -> list[str]:
    """The active case officers as "姓名 执法证号…" (行政处罚法 Art.52 for the summary decision)."""
    from org.selectors import officer_may_enforce

    if memo_active():
        # While a page is built (cases.memo: the guards' preview, never an issue) only whether the case
        # has officers matters to the documents' checks: their certificates are not looked up twice.
        return [co.officer.name for co in active_case_officers(case)]

    def compute() -> list[str]:
        out = []
        for co in active_case_officers(case):
            verdict = officer_may_enforce(officer=co.officer, field_code=case.field_code, on=on)
            cert = getattr(verdict, "certificate", None)
            out.append(f"{co.officer.name} 执法证号{cert.number}" if cert is not None else co.officer.name)
        return out

    return list(memoised(("officers_certified", case.pk, case.field_code, on), compute))


def active_case_officers(case: Case) -> list[CaseOfficer]:
    """The case's active officers with their Officer rows, in assignment order (once per page)."""
    return memoised(("case_officers", case.pk), lambda: with_case(ACTIVE_OFFICERS(case.pk), case))


ACTIVE_OFFICERS: PreparedRead[CaseOfficer] = PreparedRead(
    lambda case_id: (
        CaseOfficer.objects.filter(case_id=case_id, active=True)
        .select_related("officer__user")
        .order_by("pk")
    )
)


def registration_officers(case: Case, on: datetime.date) -> list[str]:
    """承办人 of the 立案审批表: the case officers, else the officer who took the lead in."""
    found = officers(case, on)
    if found:
        return found
    from org.selectors import officer_of_user_id

    recorder = officer_of_user_id(case.lead.recorded_by_id) if case.lead.recorded_by_id else None
    return [recorder.name] if recorder is not None else []


def officer_names(case: Case) -> list[str]:
    return [co.officer.name for co in active_case_officers(case)]


def _standard(case: Case) -> Any | None:
    if not case.violation_code:
        return None
    from catalog.services.discretion import standard_versions

    def latest() -> Any | None:
        versions = standard_versions(code=case.violation_code, agency=case.agency)
        return versions[-1] if versions else None

    return memoised(("standard", case.pk, case.violation_code), latest)


def violation_name(case: Case) -> str:
    standard = _standard(case)
    if standard is not None and standard.violation_name:
        return str(standard.violation_name)
    if case.power_item_id and case.power_item is not None:
        return str(case.power_item.name)
    return ""


def case_name(case: Case) -> str:
    """案由: the case's title, else the party and the violation."""
    if case.title:
        return case.title
    name = violation_name(case) or case.lead.description
    return f"{party_name(case)}{name.rstrip('。')}案"


def _law_reference(provision: Any) -> str:
    law = str(provision.law_name or "").strip()
    if law and not law.startswith("《"):
        law = f"《{law}》"
    ref = f"{law}第{provision.article}条"
    if provision.paragraph:
        ref += f"第{provision.paragraph}款"
    if provision.item:
        ref += f"第{provision.item}项"
    return ref


def _cause(case: Case) -> str:
    """The violation as "…案" for the decision's opening sentence, empty when the case names none."""
    name = (violation_name(case) or case.title or "").strip()
    return f"{name.removesuffix('案')}案" if name else ""


def legal_basis(case: Case) -> str:
    """The provisions the case rests on: the power item's legal bases, the discretion standard's
    basis and what the officers recorded (facts["legal_basis"]); empty when none is known."""
    found: list[str] = []
    if case.power_item_id and case.power_item is not None:
        found.extend(_law_reference(p) for p in case.power_item.legal_bases.all())
    standard = _standard(case)
    if standard is not None and standard.basis:
        found.append(str(standard.basis))
    recorded = (case.facts or {}).get("legal_basis")
    if isinstance(recorded, str) and recorded.strip():
        found.append(recorded.strip())
    summary = (case.facts or {}).get("summary") or {}
    if isinstance(summary, dict) and str(summary.get("legal_basis") or "").strip():
        found.append(str(summary["legal_basis"]).strip())
    out: list[str] = []
    for item in found:
        if item not in out:
            out.append(item)
    return "、".join(out)


def facts_text(case: Case) -> str:
    """The facts of the violation as the documents state them."""
    facts = case.facts or {}
    summary = facts.get("summary") if isinstance(facts.get("summary"), dict) else {}
    if summary and str(summary.get("findings") or "").strip():
        return str(summary["findings"]).strip()
    place = str(facts.get("location") or case.lead.location or "").strip()
    if facts.get("village") and str(facts["village"]) not in place:
        place = f"{place}{facts['village']}"
    if facts.get("parcel"):
        place = f"{place}（地块：{facts['parcel']}）"
    when = ""
    if case.act_started_on:
        when = f"自{cn_date(case.act_started_on)}起"
        when += f"至{cn_date(case.act_ended_on)}止" if case.act_ended_on else "至今"
    text = "，".join(p for p in (when, f"在{place}" if place else "") if p)
    text = f"当事人{party_name(case)}{text}，{case.lead.description.rstrip('。')}"
    area = facts.get("area_m2")
    if area not in (None, ""):
        try:
            sqm = Decimal(str(area))
            mu = (sqm * Decimal(15) / Decimal(10000)).quantize(Decimal("0.01"))
            land = LAND_CLASS_NAMES.get(str(facts.get("land_class") or ""), "")
            text += f"，涉及土地面积{sqm.normalize():f}平方米（约{mu}亩）"
            if land:
                text += f"，地类为{land}"
        except ArithmeticError:
            pass
    text += "。"
    report = str(facts.get("investigation_report") or "").strip()
    if report:
        text += f"经调查：{report.rstrip('。')}。"
    return text


def evidence_list(case: Case) -> list[str]:
    """The evidence list: the records app's evidence items (not excluded), else facts["evidence"]."""
    return list(memoised(("evidence_list", case.pk), lambda: _evidence_list(case)))


def _evidence_list(case: Case) -> list[str]:
    out: list[str] = []
    try:
        from records.selectors import evidence_item_list
    except ImportError:  # pragma: no cover - records is part of the project
        evidence_item_list = None  # type: ignore[assignment]
    if evidence_item_list is not None:
        for item in evidence_item_list(case_id=case.pk):
            if getattr(item, "is_excluded", False):
                continue
            label = item.get_kind_display() if hasattr(item, "get_kind_display") else ""
            out.append(f"{item.title}（{label}）" if label else str(item.title))
    listed = (case.facts or {}).get("evidence")
    if isinstance(listed, str):
        listed = [line for line in listed.splitlines() if line.strip()]
    if isinstance(listed, list):
        for entry in listed:
            text = str(entry).strip()
            if text and text not in out:
                out.append(text)
    return out


def _agency_data(case: Case) -> dict[str, str]:
    table = legal_setting("cases.document_agency_data", {}) or {}
    row = table.get(case.agency.code) if isinstance(table, dict) else None
    return {str(k): str(v) for k, v in row.items()} if isinstance(row, dict) else {}


_REGION = re.compile(r"^(.*?(?:自治县|自治旗|县|区|旗))")
_CITY = re.compile(r"^(.*?(?:自治州|市|盟|州))")
_PROVINCE = re.compile(r"^(.*?(?:自治区|省))")


def agency_region(case: Case) -> str:
    name = case.agency.name or ""
    for pattern in (_REGION, _CITY, _PROVINCE):
        match = pattern.match(name)
        if match:
            return match.group(1)
    return ""


def reconsideration_body(case: Case) -> str:
    """行政复议机关: the agency data's, else the people's government of the agency's level
    (行政复议法 2023 Art.24)."""
    data = _agency_data(case)
    if data.get("reconsideration_body"):
        return data["reconsideration_body"]
    region = agency_region(case)
    return f"{region}人民政府" if region else "本机关的本级人民政府"


def court(case: Case) -> str:
    """The court of first instance: the agency data's, else the basic people's court where the agency
    is (行政诉讼法 Arts.14, 18)."""
    data = _agency_data(case)
    if data.get("court"):
        return data["court"]
    region = agency_region(case)
    if region and _REGION.match(case.agency.name or ""):
        return f"{region}人民法院"
    return f"{region}中级人民法院" if region else "本机关所在地的基层人民法院"


def payment_channel(case: Case) -> str:
    data = _agency_data(case)
    return data.get("payment_channel") or "本机关指定的代收银行或者通过政府非税收入电子缴款渠道"


def contact_phone(case: Case) -> str:
    return _agency_data(case).get("contact_phone") or case.agency.phone or ""


def contact_address(case: Case) -> str:
    return _agency_data(case).get("contact_address") or case.agency.address or ""


# ---------------------------------------------------------------- the penalty


def _order_deadline(order: Mapping[str, Any]) -> str:
    if order.get("deadline"):
        return f"于{cn_date(datetime.date.fromisoformat(str(order['deadline'])))}前履行完毕"
    if order.get("days"):
        days = int(order["days"])
        unit = "个工作日" if days in (2, 3, 5, 7) else "日"
        return f"自收到本决定书之日起{cn_number(days)}{unit}内履行完毕"
    return ""


def order_phrase(order: Mapping[str, Any]) -> str:
    base = ORDER_PHRASES.get(str(order.get("kind")), "")
    description = str(order.get("description") or "").strip().rstrip("。")
    if description:
        base = f"{base}（{description}）" if base else description
    deadline = _order_deadline(order)
    return f"{base}，{deadline}" if deadline else base


def penalty_items(
    kinds: list[str], amount: Decimal | None, orders: list[Mapping[str, Any]], case: Case
) -> list[str]:
    """The penalty as the decision states it, item by item, in the order of the kinds."""
    items: list[str] = []
    ordered = {str(o.get("kind")) for o in orders}
    for order in orders:
        if order.get("kind") == "return_land":
            items.append(order_phrase(order))
    for kind in PenaltyKind.values:
        if kind not in kinds:
            continue
        if kind == PenaltyKind.FINE:
            items.append(f"罚款{money(amount)}" if amount is not None else "罚款")
        elif kind == PenaltyKind.CONFISCATION:
            confiscations = [o for o in orders if o.get("kind") == "confiscate_buildings"]
            if confiscations:
                items.extend(order_phrase(o) for o in confiscations)
            elif (case.facts or {}).get("illegal_income"):
                items.append(f"没收违法所得{money(Decimal(str(case.facts['illegal_income'])))}")
            else:
                items.append("没收非法财物")
        elif kind == PenaltyKind.DEMOLITION:
            demolitions = [o for o in orders if o.get("kind") in ("demolish", "restore")]
            if demolitions:
                items.extend(order_phrase(o) for o in demolitions)
            else:
                items.append(ORDER_PHRASES["demolish"])
        else:
            items.append(KIND_PHRASES.get(kind, kind))
    if PenaltyKind.DEMOLITION not in kinds:
        items.extend(order_phrase(o) for o in orders if o.get("kind") in ("demolish", "restore"))
    if PenaltyKind.CONFISCATION not in kinds and "confiscate_buildings" in ordered:
        items.extend(order_phrase(o) for o in orders if o.get("kind") == "confiscate_buildings")
    return [i for i in items if i]


def _decided(
    case: Case, data: Mapping[str, Any]
) -> tuple[list[str], Decimal | None, list[Mapping[str, Any]]]:
    """The decision as the act would make it: the body's values, else the case's (decided, notified,
    proposed)."""
    kinds = list(data.get("kinds") or case.decided_kinds or case.notified_kinds or case.proposed_kinds or [])
    if "amount" in data:
        amount = data.get("amount")
    elif case.decided_kinds:
        amount = case.decided_amount
    else:
        amount = case.notified_amount if case.notified_kinds else case.proposed_amount
    orders = list(data.get("orders") or case.orders or [])
    return kinds, (amount if PenaltyKind.FINE in kinds else None), orders


def payment_days() -> int:
    return legal_setting_int("cases.payment_calendar_days", 15)


def performance_text(case: Case, kinds: list[str], amount: Decimal | None, orders: list[Mapping[str, Any]],
                     *, surcharge: bool = False) -> str:  # fmt: skip
    """履行方式和期限: the fine within 15 days of receipt to the named channel (行政处罚法 Art.67),
    the orders within their deadlines, confiscated buildings handed to the government."""
    parts: list[str] = []
    if PenaltyKind.FINE in kinds:
        within = cn_number(payment_days())
        text = f"自收到本决定书之日起{within}日内，持本决定书将罚款缴至{payment_channel(case)}"
        if surcharge:
            from cases.services.execution import SURCHARGE_RATE

            percent = int(SURCHARGE_RATE * 100)
            text += (
                f"；到期不缴纳罚款的，依据《中华人民共和国行政处罚法》第七十二条第一款第一项的规定，"
                f"每日按罚款数额的百分之{cn_number(percent)}加处罚款"
            )
        parts.append(text)
    if any(o.get("kind") in ("return_land", "demolish", "restore") for o in orders) or (
        PenaltyKind.DEMOLITION in kinds
    ):
        parts.append("上述责令事项由当事人在规定期限内自行履行，并书面告知本机关，由本机关现场核查")
    if any(o.get("kind") == "confiscate_buildings" for o in orders):
        days = legal_setting_int("cases.confiscation_handover_days", 90)
        parts.append(
            f"没收的建筑物和其他设施由本机关自本决定书送达之日起{cn_number(days)}日内移交本级人民政府或者其指定的部门"
        )
    if not parts and kinds:
        parts.append("本决定书自送达之日起生效并执行")
    return "；".join(parts)


# ---------------------------------------------------------------- builders

Builder = Callable[[Case, Mapping[str, Any], datetime.date], dict[str, Any]]


def _party_keys(case: Case) -> dict[str, Any]:
    return {
        "party_name": party_name(case),
        "party_id_number": party_id_number(case),
        "party_address": party_address(case),
    }


def _remedies(case: Case) -> dict[str, Any]:
    return {"reconsideration_body": reconsideration_body(case), "court": court(case)}


def build_case_registration(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    violation = violation_name(case) or case.lead.description.rstrip("。")
    return {
        **_party_keys(case),
        "case_number": case.case_number,
        "case_name": case_name(case),
        "case_source": SOURCE_NAMES.get(case.lead.source, case.lead.get_source_display()),
        "found_on": case.lead.discovered_on,
        "facts": facts_text(case),
        "basis": legal_basis(case) or REGISTRATION_BASIS,
        "officers": registration_officers(case, on),
        "officer_opinion": f"经初步核实，当事人涉嫌{violation}，符合立案条件，建议立案调查。",
        "head_opinion": "同意立案。",
    }


def _correction(data: Mapping[str, Any], case: Case) -> Mapping[str, Any]:
    """The order being issued (the body's), or the last one on file."""
    if data.get("content"):
        return data
    return case.correction_orders[-1] if case.correction_orders else {}


def build_stop_order(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    order = _correction(data, case)
    content = str(order.get("content") or "").strip().rstrip("。")
    return {
        **_party_keys(case),
        **_remedies(case),
        "facts": facts_text(case),
        "basis": legal_basis(case),
        "order_text": f"立即停止违法行为（{content}）" if content else "",
    }


def build_rectification_order(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    order = _correction(data, case)
    due: Any = order.get("due_on")
    if not due and order.get("days"):  # the order being issued: its deadline as the clock will count it
        from core.services.calendar import add_workdays

        start = order.get("delivered_on") or order.get("issued_on") or on
        start = datetime.date.fromisoformat(start) if isinstance(start, str) else start
        days = int(order["days"])
        due = (
            add_workdays(start, days).date if days in (2, 3, 5, 7) else start + datetime.timedelta(days=days)
        )
    if isinstance(due, str):
        due = datetime.date.fromisoformat(due)
    return {
        **_party_keys(case),
        **_remedies(case),
        "facts": facts_text(case),
        "basis": legal_basis(case),
        "rectification_text": str(order.get("content") or "").strip().rstrip("。"),
        "rectification_deadline": due or None,
    }


def build_penalty_notice(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    kinds = list(case.proposed_kinds or case.notified_kinds or [])
    amount = case.proposed_amount if PenaltyKind.FINE in kinds else None
    from cases.workflow.guards import HEAVY_KINDS

    return {
        **_party_keys(case),
        "facts": facts_text(case),
        "evidence": evidence_list(case),
        "penalty_text": _numbered(penalty_items(kinds, amount, [], case)),
        "basis": legal_basis(case),
        "hearing_right": bool(set(kinds) & HEAVY_KINDS) or bool(data.get("_hearing_right")),
        "contact_address": contact_address(case),
        "contact_phone": contact_phone(case),
    }


def build_hearing_notice(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    date = data.get("hearing_date") or case.hearing_date
    chair = data.get("chair") or case.hearing_chair
    time_of_day = str(data.get("hearing_time") or "").strip()
    place = (
        str(data.get("hearing_place") or "").strip()
        or _agency_data(case).get("hearing_place")
        or (f"{case.agency.name}听证室")
    )
    return {
        "party_name": party_name(case),
        "party_address": party_address(case),
        "case_name": case_name(case),
        "hearing_time": f"{cn_date(date)}{time_of_day}" if date else "",
        "hearing_place": place,
        "presiding_officer": getattr(chair, "name", "") or "",
        "hearing_public": not bool(data.get("hearing_private")),
        "contact_phone": contact_phone(case),
    }


def build_penalty_decision(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    kinds, amount, orders = _decided(case, data)
    reason = str(data.get("amount_reason") or case.amount_reason or "").strip()
    return {
        **_party_keys(case),
        **_remedies(case),
        "party_representative": party_representative(case),
        "case_name": _cause(case),
        "facts": facts_text(case),
        "evidence": evidence_list(case),
        "discretion_reason": reason,
        "penalty_text": _numbered(penalty_items(kinds, amount, orders, case)),
        "basis": legal_basis(case),
        "fine_amount": money(amount) if amount is not None else "",
        "performance": performance_text(case, kinds, amount, orders),
    }


def build_no_penalty_decision(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    ground = str(data.get("outcome") or (case.facts or {}).get("no_penalty_ground") or case.proposed_outcome)
    reason, article = NO_PENALTY_GROUNDS.get(ground, ("", ""))
    basis = legal_basis(case)
    return {
        **_party_keys(case),
        **_remedies(case),
        "facts": facts_text(case),
        "evidence": evidence_list(case),
        "no_penalty_reason": reason,
        "basis": "、".join(b for b in (article, basis) if b),
    }


def build_summary_decision(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    summary = (case.facts or {}).get("summary") or {}
    kinds = list(data.get("kinds") or case.decided_kinds or [])
    amount = data.get("amount", case.decided_amount) if PenaltyKind.FINE in kinds else None
    recorded = summary.get("recorded_on")
    when = case.act_started_on or (datetime.date.fromisoformat(recorded) if recorded else None)
    basis = str(data.get("legal_basis") or "").strip() or legal_basis(case)
    return {
        **_party_keys(case),
        **_remedies(case),
        "violation_time": cn_date(when),
        "violation_place": str(summary.get("location") or case.lead.location or "").strip(),
        "facts": facts_text(case),
        "penalty_text": _numbered(penalty_items(kinds, amount, [], case)),
        "basis": basis,
        "fine_amount": "",  # the amount is in the penalty text
        "performance": performance_text(case, kinds, amount, [], surcharge=True),
        "officers": officers(case, on),
    }


def build_delivery_receipt(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    method = str(data.get("method") or case.delivery_method or "")
    if method == DeliveryMethod.PUBLIC_NOTICE:
        address = "公告送达"
    elif method == DeliveryMethod.ELECTRONIC and delivery_channels(case, data):
        address = "；".join(delivery_channels(case, data))
    else:
        address = party_address(case)
    return {
        # the document delivered: the act's (notice, reminder, order…), else the decision
        "delivered_title": str(data.get("_delivered_title") or "行政处罚决定书"),
        "delivered_number": str(data.get("_delivered_number") or case.decision_number or ""),
        "recipient": str(data.get("recipient") or "").strip() or party_name(case),
        "delivery_address": address,
        "delivery_method": METHOD_NAMES.get(method, method),
        "deliverers": officer_names(case),
        "delivered_on": data.get("delivered_on") or case.delivered_on,
        "remarks": "；".join(
            [f"随附：{line}" for line in data.get("_enclosures") or ()]
            + ([f"见证人：{data['witness']}"] if data.get("witness") else [])
        ),
    }


def build_payment_reminder(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    from cases.services.execution import case_late_surcharge, outstanding_fine

    subject = str(data.get("subject") or "fine")
    days = legal_setting_int("cases.reminder_perform_workdays", 10)
    if subject == "fine":
        owed = outstanding_fine(case)
        surcharge = case_late_surcharge(case=case, on=on)
        obligation = f"缴纳罚款{money(owed)}"
        performance = (
            f"自收到本催告书之日起{cn_number(days)}个工作日内，将罚款及加处罚款缴至{payment_channel(case)}"
        )
        surcharge_text = f"截至本催告书送达之日，已加处罚款{money(surcharge)}" if surcharge else ""
    else:
        pending = [
            o for o in case.orders if o.get("status") == "pending" and o.get("kind") != "confiscate_buildings"
        ]
        obligation = "；".join(order_phrase(o) for o in pending)
        performance = f"自收到本催告书之日起{cn_number(days)}个工作日内履行上述义务"
        surcharge_text = ""
    return {
        "party_name": party_name(case),
        "party_address": party_address(case),
        "decision_number": case.decision_number,
        "decision_date": case.decided_on,
        "obligation": obligation,
        "performance": performance,
        "surcharge_text": surcharge_text,
        "contact_phone": contact_phone(case),
    }


def _execution_text(case: Case) -> str:
    from cases.selectors import case_payments

    parts = [
        f"{cn_date(p.paid_on)}缴纳{money(p.amount)}（票据号{p.receipt_number}）"
        for p in case_payments(case=case)
    ]
    done = [o for o in case.orders if o.get("status") in ("verified", "enforced", "handed_over")]
    if done:
        parts.append("责令事项已履行完毕并经现场核查或强制执行")
    completed = (case.execution or {}).get("completed_on")
    if completed:
        parts.append(f"于{cn_date(datetime.date.fromisoformat(completed))}执行完毕")
    return "；".join(parts)


def build_closing_approval(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    status = case.status
    if status == CaseStatus.NO_PENALTY:
        ground = (case.facts or {}).get("no_penalty_ground") or case.proposed_outcome
        outcome = f"不予行政处罚（{NO_PENALTY_GROUNDS.get(ground, ('', ''))[0]}）"
        execution = "不予行政处罚，无需执行"
        reason = "已作出不予行政处罚决定"
    elif status == CaseStatus.TRANSFERRED:
        transfer = case.transfer or {}
        outcome = f"案件移送{transfer.get('recipient') or ''}".strip()
        execution = f"已于{transfer.get('on') or ''}移送"
        reason = f"案件已移送（{transfer.get('reason') or ''}）"
    else:
        kinds, amount, orders = list(case.decided_kinds or []), case.decided_amount, list(case.orders or [])
        outcome = _numbered(penalty_items(kinds, amount if PenaltyKind.FINE in kinds else None, orders, case))
        execution = _execution_text(case) or "行政处罚决定已执行完毕"
        reason = "行政处罚决定已执行完毕"
    return {
        "case_number": case.case_number,
        "case_name": case_name(case),
        "party_name": party_name(case),
        "decision_number": case.decision_number,
        "outcome": outcome,
        "execution": execution,
        "closing_reason": reason,
        "officers": officers(case, on),
        "officer_opinion": "本案已办理完毕，建议结案。",
        "head_opinion": "同意结案。",
    }


def build_hearing_right_notice(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    """听证告知书: the penalty intended (as notified) and the right to request a hearing (Arts.63, 64)."""
    kinds = list(case.notified_kinds or case.proposed_kinds or [])
    amount = (
        (case.notified_amount if case.notified_kinds else case.proposed_amount)
        if PenaltyKind.FINE in kinds
        else None
    )
    return {
        **_party_keys(case),
        "facts": facts_text(case),
        "penalty_text": _numbered(penalty_items(kinds, amount, [], case)),
        "basis": legal_basis(case),
        "contact_address": contact_address(case),
        "contact_phone": contact_phone(case),
    }


def investigation_process(case: Case, on: datetime.date) -> str:
    """调查经过: discovery, 立案, the officers, the evidence gathered and the end of the investigation."""
    source = SOURCE_NAMES.get(case.lead.source, case.lead.get_source_display())
    parts = [f"{cn_date(case.lead.discovered_on)}经{source}发现本案线索"]
    if case.registered_on:
        number = f"（{case.case_number}）" if case.case_number else ""
        parts.append(f"本机关于{cn_date(case.registered_on)}立案{number}")
    names = officer_names(case)
    if names:
        parts.append(f"指派执法人员{'、'.join(names)}负责调查")
    evidence = evidence_list(case)
    if evidence:
        parts.append(f"调查中收集、调取了{'、'.join(evidence)}等证据共{len(evidence)}项")
    parts.append(f"于{cn_date(on)}调查终结")
    return "，".join(parts) + "。"


PROPOSALS: dict[str, str] = {
    ProposedOutcome.NO_PENALTY_MINOR: "建议不予行政处罚（违法行为轻微并及时改正，没有造成危害后果，"
    "《中华人民共和国行政处罚法》第三十三条第一款）",
    ProposedOutcome.FIRST_VIOLATION: "建议不予行政处罚（初次违法且危害后果轻微并及时改正，"
    "《中华人民共和国行政处罚法》第三十三条第一款）",
    ProposedOutcome.NO_PENALTY_FACTS: "建议不予行政处罚（违法事实不能成立，"
    "《中华人民共和国行政处罚法》第五十七条第一款第三项）",
    ProposedOutcome.TRANSFER: "建议将案件移送有管辖权的机关处理",
}


def proposal_text(case: Case, data: Mapping[str, Any]) -> str:
    """处理意见 of the investigation report: the body's proposal, else the case's."""
    outcome = str(data.get("proposed_outcome") or case.proposed_outcome or "")
    if outcome == ProposedOutcome.PENALTY:
        kinds = list(data.get("kinds") or case.proposed_kinds or [])
        amount = data.get("amount", case.proposed_amount) if PenaltyKind.FINE in kinds else None
        items = penalty_items(kinds, amount, [], case)
        return f"建议给予行政处罚：{_numbered(items)}" if items else ""
    return PROPOSALS.get(outcome, "")


def proposed_decision_text(case: Case) -> str:
    """The decision proposed to the reviewers and the heads (拟作出的决定): the penalty as notified or
    proposed, or the proposed handling without a penalty."""
    if case.proposed_outcome == ProposedOutcome.PENALTY or case.notified_kinds:
        kinds, amount, orders = _decided(case, {})
        items = penalty_items(kinds, amount, orders, case)
        return f"拟作出行政处罚：{_numbered(items)}" if items else ""
    text = PROPOSALS.get(str(case.proposed_outcome or ""), "")
    return text.replace("建议", "拟", 1) if text else ""


def build_investigation_report(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    return {
        **_party_keys(case),
        "case_number": case.case_number,
        "case_name": case_name(case),
        "case_source": SOURCE_NAMES.get(case.lead.source, case.lead.get_source_display()),
        "process": investigation_process(case, on),
        "facts": facts_text(case),
        "evidence": evidence_list(case),
        "basis": legal_basis(case),
        "discretion_reason": str(data.get("amount_reason") or case.amount_reason or "").strip(),
        "proposal": proposal_text(case, data),
        "officers": officers(case, on),
    }


def _last(entries: Any, subject: str) -> Mapping[str, Any]:
    found = [e for e in entries or [] if e.get("subject") == subject]
    return found[-1] if found else {}


def build_enforcement_application(case: Case, data: Mapping[str, Any], on: datetime.date) -> dict[str, Any]:
    """强制执行申请书 (行政强制法 Arts.53–55): the decision, the reminder served and what is unperformed."""
    from cases.services.execution import case_late_surcharge, outstanding_fine

    subject = str(data.get("subject") or "fine")
    reminder = _last((case.enforcement or {}).get("reminders"), subject)
    served = reminder.get("served_on")
    if subject == "fine":
        owed = outstanding_fine(case)
        surcharge = case_late_surcharge(case=case, on=on)
        obligation = f"缴纳罚款{money(owed)}" + (f"及加处罚款{money(surcharge)}" if surcharge else "")
        application = f"强制执行罚款{money(owed)}" + (f"及加处罚款{money(surcharge)}" if surcharge else "")
    else:
        pending = [
            o for o in case.orders if o.get("status") == "pending" and o.get("kind") != "confiscate_buildings"
        ]
        obligation = "；".join(order_phrase(o) for o in pending)
        application = f"强制执行{obligation}" if obligation else ""
    names = officer_names(case)
    return {
        **_party_keys(case),
        "court": str(data.get("court") or "").strip(),
        "decision_number": case.decision_number,
        "decision_date": case.decided_on,
        "obligation": obligation,
        "reminder_number": str(reminder.get("number") or ""),
        "reminder_date": datetime.date.fromisoformat(served) if served else None,
        "non_performance": (
            "被申请人在法定期限内未申请行政复议，也未提起行政诉讼，经催告后逾期仍未履行。" if reminder else ""
        ),
        "application_text": application,
        "attachments": ["行政处罚决定书及送达回证", "催告书及送达回证", "当事人的意见及本机关的复核意见"],
        "contact_person": names[0] if names else "",
        "contact_phone": contact_phone(case),
    }


def delivery_channels(case: Case, data: Mapping[str, Any]) -> list[str]:
    """The electronic addresses the party accepted: the body's `electronic_address` (e-mail or mobile)."""
    out = []
    for raw in re.split(r"[,，;；\s]+", str(data.get("electronic_address") or "")):
        value = raw.strip()
        if not value:
            continue
        out.append(f"电子邮箱：{value}" if "@" in value else f"手机号码：{value}")
    return out


def build_electronic_delivery_confirmation(
    case: Case, data: Mapping[str, Any], on: datetime.date
) -> dict[str, Any]:
    return {
        **_party_keys(case),
        "case_name": case_name(case),
        "delivery_channels": delivery_channels(case, data),
        "documents_scope": "行政处罚告知书、听证告知书、行政处罚决定书、催告书等本案执法文书",
        "contact_phone": contact_phone(case),
    }


BUILDERS: dict[str, Builder] = {
    "case_registration": build_case_registration,
    "stop_order": build_stop_order,
    "rectification_order": build_rectification_order,
    "penalty_notice": build_penalty_notice,
    "hearing_notice": build_hearing_notice,
    "penalty_decision": build_penalty_decision,
    "no_penalty_decision": build_no_penalty_decision,
    "summary_decision": build_summary_decision,
    "delivery_receipt": build_delivery_receipt,
    "payment_reminder": build_payment_reminder,
    "closing_approval": build_closing_approval,
    "hearing_right_notice": build_hearing_right_notice,
    "investigation_report": build_investigation_report,
    "enforcement_application": build_enforcement_application,
    "electronic_delivery_confirmation": build_electronic_delivery_confirmation,
}


def case_document_context(
    kind: str, case: Case, *, data: Mapping[str, Any] | None = None, on: datetime.date | None = None
) -> dict[str, Any]:
    """The context of `kind` for `case` (the act's cleaned body in `data`), limited to the kind's keys."""
    from documents.services import kind_context_keys

    keys = kind_context_keys(kind)
    if not memo_active():  # one query for the parties however often they are read
        prefetch_related_objects([case], "parties")
    try:
        built = BUILDERS[kind](case, data or {}, on or datetime.date.today())
    finally:
        getattr(case, "_prefetched_objects_cache", {}).pop("parties", None)
    return {name: value for name, value in built.items() if name in keys}


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return not any(str(v).strip() for v in value)
    return False


def missing_elements(
    kind: str, context: Mapping[str, Any], *, preview: bool = False
) -> list[tuple[str, str]]:
    """(key, Chinese label) of every required key without a value (preview: body keys skipped)."""
    from documents.services import kind_context_keys

    skip = BODY_KEYS.get(kind, frozenset()) if preview else frozenset()
    return [
        (name, str(key.label))
        for name, key in kind_context_keys(kind).items()
        if key.required and name not in skip and _empty(context.get(name))
    ]


def document_title(kind: str) -> str:
    from documents.services import kind_spec

    return kind_spec(kind).official_title
