"""Reads of legal review, deliberation and risk assessment.

The three `*_status` functions are what the cases guards read: plain strings, the latest round
decides. They are not scoped (the guard has already fetched the case for its actor). Lists are
scoped to the actor's agencies.

Deliberation quorum (choice documented here): the agency's heads (officers holding the HEAD role,
org.selectors.agency_heads) present must be MORE than `ratio` × all heads, ratio being the legal
setting `review.deliberation_quorum_ratio` (default 0.5: "more than half"; seeded by review/0002,
agency policy [U] — 行政处罚法 Art.57 requires 集体讨论 but sets no quorum). Attendees who are not
heads (the legal reviewer, the handlers reporting the case) may attend and give opinions but do not
count towards the quorum.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q, QuerySet

from core.models import LegalSetting
from org import selectors as org_selectors
from org.roles import Role
from review.models import Deliberation, LegalReview, ReviewOpinion, RiskAssessment

log = logging.getLogger(__name__)

QUORUM_RATIO_KEY = "review.deliberation_quorum_ratio"
DEFAULT_QUORUM_RATIO = Decimal("0.5")

_OPINION_STATUS = {
    ReviewOpinion.PASS: "passed",
    ReviewOpinion.RETURN_FOR_CORRECTION: "returned",
    ReviewOpinion.NOT_PASS: "not_passed",
}


def legal_review_status(*, case_id: int) -> str:
    """ "none" / "pending" / "passed" / "returned" / "not_passed": the latest round decides."""
    opinion = (
        LegalReview.objects.filter(case_id=case_id)
        .order_by("-round")
        .values_list("opinion", flat=True)
        .first()
    )
    if opinion is None:
        return "none"
    return _OPINION_STATUS.get(ReviewOpinion(opinion), "pending") if opinion else "pending"


def deliberation_status(*, case_id: int) -> str:
    """ "none" / "concluded": a recorded deliberation always has its conclusion and quorum."""
    return "concluded" if Deliberation.objects.filter(case_id=case_id).exists() else "none"


def risk_assessment_status(*, case_id: int) -> str:
    """ "none" / "pending" / "approved": the latest round decides."""
    latest = (
        RiskAssessment.objects.filter(case_id=case_id)
        .order_by("-round")
        .values_list("approved_at", flat=True)
    )
    if not latest.exists():
        return "none"
    return "approved" if latest.first() is not None else "pending"


def review_statuses(*, case_id: int) -> dict[str, str]:
    """The three statuses above in one query (the case page and `available_actions` ask all three):
    {"legal_review": …, "deliberation": …, "risk_assessment": …}, same values as the functions."""
    from django.db import connection

    lr, dl, ra = (m._meta.db_table for m in (LegalReview, Deliberation, RiskAssessment))
    sql = (
        f"SELECT EXISTS(SELECT 1 FROM {lr} WHERE case_id = %s),"
        f" (SELECT opinion FROM {lr} WHERE case_id = %s ORDER BY round DESC LIMIT 1),"
        f" EXISTS(SELECT 1 FROM {dl} WHERE case_id = %s),"
        f" EXISTS(SELECT 1 FROM {ra} WHERE case_id = %s),"
        f" (SELECT approved_at IS NOT NULL FROM {ra} WHERE case_id = %s ORDER BY round DESC LIMIT 1)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [case_id] * 5)
        has_review, opinion, has_deliberation, has_risk, approved = cursor.fetchone()
    if not has_review:
        legal = "none"
    else:
        legal = _OPINION_STATUS.get(ReviewOpinion(opinion), "pending") if opinion else "pending"
    risk = "none" if not has_risk else ("approved" if approved else "pending")
    return {
        "legal_review": legal,
        "deliberation": "concluded" if has_deliberation else "none",
        "risk_assessment": risk,
    }


def _scoped(qs: QuerySet[Any], actor: Any) -> QuerySet[Any]:
    ids = org_selectors.read_agency_ids(actor)
    return qs if ids is None else qs.filter(agency_id__in=ids)


def reviews_for_reviewer(*, actor: Any) -> QuerySet[LegalReview]:
    """A legal reviewer's to-do list: rounds of their agency waiting for an opinion that are
    assigned to them or to nobody yet, oldest first. Empty for anyone without the role."""
    if org_selectors.is_unrestricted(actor):
        qs = LegalReview.objects.filter(opinion="")
    else:
        officer = org_selectors.officer_for(actor)
        if (
            officer is None
            or not officer.active
            or Role.LEGAL_REVIEWER not in org_selectors.roles_of(user=actor)
        ):
            return LegalReview.objects.none()
        qs = LegalReview.objects.filter(opinion="", agency_id=officer.agency_id).filter(
            Q(reviewer_id=actor.pk) | Q(reviewer__isnull=True)
        )
    return qs.select_related("case", "submitted_by", "reviewer").order_by("submitted_at", "pk")


def reviews_to_assign(*, actor: Any) -> QuerySet[LegalReview]:
    """Rounds waiting for an opinion in the actor's agencies (the head's view of the review queue)."""
    qs = _scoped(LegalReview.objects.filter(opinion=""), actor)
    return qs.select_related("case", "submitted_by", "reviewer").order_by("submitted_at", "pk")


def legal_review_get(*, review_id: int, actor: Any) -> LegalReview | None:
    """One round, when the actor may read its agency."""
    qs = _scoped(LegalReview.objects.select_related("case", "submitted_by", "reviewer"), actor)
    return qs.filter(pk=review_id).first()


def legal_reviews_for_case(*, case_id: int, actor: Any) -> QuerySet[LegalReview]:
    return _scoped(LegalReview.objects.filter(case_id=case_id), actor).order_by("round")


def deliberations_for_case(*, case_id: int, actor: Any) -> QuerySet[Deliberation]:
    qs = _scoped(Deliberation.objects.filter(case_id=case_id), actor)
    return qs.prefetch_related("opinions").order_by("held_on", "pk")


def risk_assessments_for_case(*, case_id: int, actor: Any) -> QuerySet[RiskAssessment]:
    return _scoped(RiskAssessment.objects.filter(case_id=case_id), actor).order_by("round")


def risk_assessment_get(*, assessment_id: int, actor: Any) -> RiskAssessment | None:
    qs = _scoped(RiskAssessment.objects.select_related("case", "assessed_by", "approved_by"), actor)
    return qs.filter(pk=assessment_id).first()


def deliberation_quorum_ratio() -> Decimal:
    """The share of the agency's heads that must be exceeded for a quorum (default 0.5).

    A stored value that is not a number in [0, 1) is logged and the default applies.
    """
    value = LegalSetting.objects.filter(key=QUORUM_RATIO_KEY).values_list("value", flat=True).first()
    if value is None:
        return DEFAULT_QUORUM_RATIO
    try:
        ratio = Decimal(str(value))
    except InvalidOperation:
        ratio = Decimal(-1)
    if not (ratio.is_finite() and Decimal(0) <= ratio < Decimal(1)):
        log.warning(
            "legal setting %s has an invalid value %r; using %s",
            QUORUM_RATIO_KEY,
            value,
            DEFAULT_QUORUM_RATIO,
        )
        return DEFAULT_QUORUM_RATIO
    return ratio


def quorum_met(*, heads_present: int, heads_total: int, ratio: Decimal) -> bool:
    """More than `ratio` of the heads are present (and at least one)."""
    return heads_present >= 1 and Decimal(heads_present) > ratio * Decimal(heads_total)


def agency_head_ids(*, agency_id: int) -> set[int]:
    """User ids of the agency's active heads."""
    return set(org_selectors.agency_heads(agency_id=agency_id).values_list("pk", flat=True))


def agency_officers(*, agency_id: int) -> QuerySet[Any]:
    """The agency's active officers (choices for attendees and reviewers)."""
    return (
        org_selectors.visible_officers(None)
        .filter(agency_id=agency_id, active=True, user__is_active=True)
        .order_by("name", "pk")
    )


def legal_reviewers_of(*, agency_id: int) -> QuerySet[Any]:
    """The agency's active officers holding the legal reviewer role (choices for assignment)."""
    return agency_officers(agency_id=agency_id).filter(role_assignments__role=Role.LEGAL_REVIEWER).distinct()
