"""Demo catalog: provisions, ~30 power items, sample discretion standards, exemption lists.

Everything goes through the import service, so the demo exercises the same path as a real import;
running it twice changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from catalog.models import ExemptionKind, MajorDecisionRule
from catalog.services.discretion import exemption_rule_save
from catalog.services.major import catalog_record_defaults
from catalog.services.transfer import catalog_import

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_START = datetime.date(2024, 1, 1)

EXEMPTIONS = [
    (
        "ZR-CF-001",
        ExemptionKind.FIRST_OFFENCE,
        ["first_violation", "minor_harm", "promptly_corrected"],
        Decimal("100"),
        "示例数据：初次非法占地不超过100平方米、危害后果轻微并及时改正的，可以不予处罚",
    ),
    (
        "ZR-CF-001",
        ExemptionKind.MINOR,
        ["minor", "promptly_corrected", "no_harm"],
        Decimal("10"),
        "示例数据：非法占地不超过10平方米、及时改正且没有造成危害后果的，不予处罚",
    ),
]


def catalog_load_demo(*, actor: Any, agency: Any) -> dict[str, Any]:
    """Load the demo catalog into `agency` (idempotent); returns counts per file."""
    summary: dict[str, Any] = {}
    for kind, name in (
        ("provisions", "provisions.csv"),
        ("powers", "powers.csv"),
        ("standards", "standards.csv"),
    ):
        path = DATA_DIR / name
        report = catalog_import(
            actor=actor,
            agency=agency,
            kind=kind,
            filename=name,
            content=path.read_bytes(),
            effective_from=DEMO_START,
        )
        summary[kind] = {
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
    for power_code, kind, facts, max_area, description in EXEMPTIONS:
        exemption_rule_save(
            actor=actor,
            agency=agency,
            power_code=power_code,
            kind=kind,
            required_facts=facts,
            max_area_m2=max_area,
            description=description,
            effective_from=datetime.date(2021, 9, 1),
        )
    summary["exemptions"] = len(EXEMPTIONS)
    catalog_record_defaults(actor=None)
    summary["major_rules"] = MajorDecisionRule.objects.filter(agency__isnull=True).count()
    return summary
