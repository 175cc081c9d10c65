"""The documents of mediation besides the agreement (调解协议书, declared in documents/kinds.py): the
notice that an application is not accepted (行政调解不予受理通知书), with the reason and the routes
left to the applicant. Registered with the documents kinds at start-up (`register_kinds`, from
MediationConfig.ready) as the service app does; its version 1 template lives in
mediation/templates/mediation/documents/ and is activated by migration 0004."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from documents.kinds import AGENCY_DATE, KINDS, SEAL, ContextKey, Element, KindSpec

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "mediation" / "documents"
REFUSAL_KIND = "mediation_refusal"

REFUSAL = KindSpec(
    code=REFUSAL_KIND,
    official_title="行政调解不予受理通知书",
    title=_("notice that an application for mediation is not accepted"),
    basis="国发〔2010〕33号（加强行政调解）；issue 8 §5",
    keys=(
        ContextKey("applicant_name", _("applicant"), True),
        ContextKey("respondent_name", _("respondent")),
        ContextKey("received_on", _("received on"), True, date=True),
        ContextKey("dispute_kind", _("kind of dispute"), True),
        ContextKey("dispute", _("the dispute"), True),
        ContextKey("tracking_code", _("tracking code")),
        ContextKey("reason", _("reason for not accepting"), True),
        ContextKey("routes", _("routes left to the applicant"), True),
    ),
    elements=(
        Element("applicant", _("the applicant"), keys=("applicant_name",), markers=("申请人",)),
        Element("received", _("the date of receipt"), keys=("received_on",), markers=("收到",)),
        Element("reason", _("the reason"), keys=("reason",), markers=("不予受理",)),
        Element("routes", _("the routes left to the applicant"), keys=("routes",), markers=("途径",)),
        AGENCY_DATE,
        SEAL,
    ),
    sample={
        "applicant_name": "张某某",
        "respondent_name": "某某村民委员会",
        "received_on": datetime.date(2026, 3, 2),
        "dispute_kind": "土地使用权争议",
        "dispute": "双方对某某镇东村3组宅基地东侧约120平方米土地的使用权存在争议。",
        "tracking_code": "ABCD-EFGH-JKMN",
        "reason": "该争议已由人民法院受理，依法不属于行政调解的范围",
        "routes": "当事人可以依法申请行政裁决，或者依法向人民法院提起诉讼。",
    },
)
SPECS = (REFUSAL,)


def register_kinds() -> None:
    for spec in SPECS:
        KINDS.setdefault(spec.code, spec)


def refusal_context(mediation: Any, *, routes: str) -> dict[str, Any]:
    """The notice's context from a refused mediation (its parties, the reason, the routes)."""
    from mediation.models import DisputeKind, Side
    from mediation.selectors import display_code

    parties = list(mediation.parties.all())
    first = {side: next((p.name for p in parties if p.side == side), "") for side in Side.values}
    return {
        "applicant_name": first[Side.APPLICANT],
        "respondent_name": first[Side.RESPONDENT],
        "received_on": mediation.received_on,
        "dispute_kind": str(DisputeKind(mediation.kind).label),
        "dispute": mediation.summary,
        "tracking_code": display_code(mediation.tracking_code),
        "reason": mediation.refusal_reason.rstrip("。."),
        "routes": routes,
    }
