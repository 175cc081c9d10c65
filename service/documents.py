"""The documents of licensing (行政许可法 Arts.32, 38, 39), registered with the documents app's kinds
at start-up (`register_kinds`, called from ServiceConfig.ready) and rendered through its public
`document_issue` (sealed, dated, numbered, signed, on the ledger). Their default templates live in
service/templates/service/documents/ and are activated by migration 0003 (version 1 of each).

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
from documents.kinds import AGENCY_DATE, KINDS, REMEDIES, SEAL, Element, KindSpec, _k

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "service" / "documents"
_REGION = re.compile(r"^(.+?(?:县|区|旗|市))")

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
        KINDS.setdefault(spec.code, spec)


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
