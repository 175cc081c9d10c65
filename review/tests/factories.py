"""Test data for review: cases with their handlers, reviewers, heads, earlier review rounds.

Cases are made through the cases app's models by label (review's code reaches cases only through
its selectors); replace with the cases factories once that app publishes them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils import timezone

from org.roles import Role
from org.tests.factories import DepartmentFactory, LegalQualificationFactory, OfficerFactory
from review.models import ChecklistPoint, LegalReview, PointVerdict, RiskDimension, RiskLevel


def case_with_handlers(*, agency: Any, handlers: list[Any], number: str = "") -> Any:
    """A registered case of `agency` handled by the given officers (the first leads)."""
    lead_model = apps.get_model("cases", "Lead")
    case_model = apps.get_model("cases", "Case")
    case_officer = apps.get_model("cases", "CaseOfficer")
    lead = lead_model.objects.create(
        agency=agency,
        source="patrol",
        discovered_on=timezone.localdate(),
        description="巡查发现非法占用耕地建房",
    )
    case = case_model.objects.create(
        agency=agency,
        lead=lead,
        status="investigation_reported",
        case_number=number,
        title="张某非法占用土地案",
        # the investigation report's proposal, which the review documents state
        proposed_outcome="penalty",
        proposed_kinds=["fine"],
        proposed_amount=Decimal("5000.00"),
    )
    for i, officer in enumerate(handlers):
        case_officer.objects.create(case=case, officer=officer, role="lead" if i == 0 else "assistant")
    # the party the review documents name (法制审核意见书, 集体讨论记录, 风险评估报告)
    apps.get_model("cases", "Party").objects.create(
        case=case, party_type="natural", name="张某", id_number="11010519491231002X", address="城关镇东村三组"
    )
    return case


def reviewer(*, agency: Any, qualified: bool = True, legal_section: bool = False) -> Any:
    """A legal reviewer of `agency` (with 法律职业资格 unless qualified=False); returns the officer."""
    department = DepartmentFactory(agency=agency, kind="legal_affairs") if legal_section else None
    officer = OfficerFactory(
        agency=agency, roles=[Role.LEGAL_REVIEWER], with_department=False, department=department
    )
    if qualified:
        LegalQualificationFactory(officer=officer)
    return officer


def earlier_concluded_review(*, reviewer_user: Any, agency: Any) -> LegalReview:
    """A round this reviewer concluded on another case: they are no longer a first-time reviewer."""
    handler = OfficerFactory(agency=agency, certified_fields=["land"])
    case = case_with_handlers(agency=agency, handlers=[handler])
    now = timezone.now() - datetime.timedelta(days=30)
    return LegalReview.objects.create(
        case=case,
        agency=agency,
        round=1,
        submitted_by=handler.user,
        submitted_at=now,
        reviewer=reviewer_user,
        checklist=full_checklist(),
        opinion="pass",
        opinion_at=now,
    )


def full_checklist(
    verdict: str = PointVerdict.COMPLIANT, **overrides: dict[str, str]
) -> dict[str, dict[str, str]]:
    answers = {
        point.value: {
            "verdict": PointVerdict.NOT_APPLICABLE if point == ChecklistPoint.CRIME_TRANSFER else verdict,
            "note": "",
        }
        for point in ChecklistPoint
    }
    answers.update(overrides)
    return answers


def all_dimensions(level: str = RiskLevel.LOW, **overrides: dict[str, str]) -> dict[str, dict[str, str]]:
    answers = {
        dim.value: {"level": level, "note": "" if level == RiskLevel.LOW else "群众关注"}
        for dim in RiskDimension
    }
    answers.update(overrides)
    return answers
