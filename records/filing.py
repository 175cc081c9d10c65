"""The filing standard (立卷归档规范): in which volume and order a case file's items are filed.

The order is data: the `core.LegalSetting` row `records.filing_standard` (seeded by migration
records/0003 with `DEFAULT_FILING_STANDARD`; a province changes the row, every change a ledger act
of core's settings screen). The default follows the 自然资源 case-file rules (《自然资源行政处罚办法》
Art.50 (案卷归档), 《国土资源行政处罚案卷评查标准》 and DA/T 22 for the cover, index and 备考表):

- 正卷 (main volume, what may be shown to the party and the court): the decision first, then the
  registration, the evidence (records, evidence list, photos, audio-video), orders, notices,
  statements and hearing, delivery, execution and the closing approval, each section in the
  order its items came into being;
- 副卷 (secondary volume, internal): superseded versions of records, excluded evidence and any
  other internal material; both volumes end with the 备考表.

Each section matches items by their source: `document` (documents app kind codes), `record`
(record kinds), `media` (media kinds of files), `generated` (evidence_list); "*" matches any code
of that source. `excluded: true` matches only files whose evidence item was excluded,
`superseded: true` only earlier versions of a record. An item goes to the first section that
matches it; an item that matches none goes to the last section of the last volume.
"""

from __future__ import annotations

from typing import Any

from core.models import LegalSetting

SETTING_KEY = "records.filing_standard"

DEFAULT_FILING_STANDARD: dict[str, Any] = {
    "name": "自然资源行政处罚案卷立卷归档（默认）",
    "basis": "《自然资源行政处罚办法》第五十条；《国土资源行政处罚案卷评查标准》；DA/T 22",
    "volumes": [
        {
            "code": "main",
            "title": "正卷",
            "sections": [
                {
                    "code": "decision",
                    "title": "行政处罚决定书",
                    "match": {"document": ["penalty_decision", "summary_decision", "no_penalty_decision"]},
                },
                {"code": "registration", "title": "立案审批表", "match": {"document": ["case_registration"]}},
                {
                    "code": "records",
                    "title": "询问笔录、现场检查（勘验）笔录",
                    "match": {"record": ["interview", "inspection"]},
                },
                {"code": "evidence_list", "title": "证据清单", "match": {"generated": ["evidence_list"]}},
                {
                    "code": "evidence",
                    "title": "书证、照片及其他证据材料",
                    "match": {"media": ["photo", "document", "scan", "other"]},
                },
                {"code": "audiovisual", "title": "视听资料", "match": {"media": ["audio", "video"]}},
                {
                    "code": "orders",
                    "title": "责令停止违法行为通知书、责令改正通知书",
                    "match": {"document": ["stop_order", "rectification_order"]},
                },
                {
                    "code": "notices",
                    "title": "行政处罚告知书、听证告知书",
                    "match": {"document": ["penalty_notice", "hearing_notice"]},
                },
                {
                    "code": "statements",
                    "title": "陈述申辩笔录、听证笔录",
                    "match": {"record": ["statement", "hearing"]},
                },
                {"code": "delivery", "title": "送达回证", "match": {"document": ["delivery_receipt"]}},
                {"code": "execution", "title": "执行材料", "match": {"document": ["payment_reminder"]}},
                {"code": "closing", "title": "结案审批表", "match": {"document": ["closing_approval"]}},
            ],
        },
        {
            "code": "secondary",
            "title": "副卷",
            "sections": [
                {
                    "code": "superseded",
                    "title": "笔录的更正前版本",
                    "match": {"record": ["*"], "superseded": True},
                },
                {"code": "excluded", "title": "排除的证据", "match": {"media": ["*"], "excluded": True}},
                {"code": "internal", "title": "其他文书及内部材料", "match": {"document": ["*"]}},
            ],
        },
    ],
}


def filing_standard() -> dict[str, Any]:
    """The configured standard (the LegalSetting row), or the default when none is set or it is malformed."""
    value = LegalSetting.objects.filter(key=SETTING_KEY).values_list("value", flat=True).first()
    if isinstance(value, dict) and _well_formed(value):
        return value
    return DEFAULT_FILING_STANDARD


def _well_formed(value: dict[str, Any]) -> bool:
    volumes = value.get("volumes")
    if not isinstance(volumes, list) or not volumes:
        return False
    for volume in volumes:
        if (
            not isinstance(volume, dict)
            or not volume.get("title")
            or not isinstance(volume.get("sections"), list)
        ):
            return False
        for section in volume["sections"]:
            if not isinstance(section, dict) or not isinstance(section.get("match"), dict):
                return False
    return True


def section_for(
    standard: dict[str, Any], *, source: str, code: str, excluded: bool = False, superseded: bool = False
) -> tuple[int, int]:
    """(volume index, section index) of an item; see the module docstring."""
    volumes = standard["volumes"]
    for vi, volume in enumerate(volumes):
        for si, section in enumerate(volume["sections"]):
            match = section["match"]
            codes = match.get(source)
            if not codes or (code not in codes and "*" not in codes):
                continue
            if bool(match.get("excluded", False)) != excluded and source == "media":
                continue
            if bool(match.get("superseded", False)) != superseded and source == "record":
                continue
            return vi, si
    last = len(volumes) - 1
    return last, max(len(volumes[last]["sections"]) - 1, 0)
