"""Who may do what in legal review, deliberation and risk assessment.

Verbs and who may (always within the case's own agency; the system and a bootstrap superuser may
do everything):
- "view": anyone whose read scope (org) contains the agency;
- "submit_review": a handler of the case or a head of the agency;
- "assign_review": a head, or a legal reviewer of the agency's legal affairs section (法制科);
- "conclude_review": a legal reviewer; when the round is assigned, only the assigned reviewer;
- "record_deliberation": a head or a legal reviewer (the recorder; a head chairs, see services);
- "record_risk_assessment": a handler of the case, a legal reviewer or a head;
- "approve_risk_assessment": a head.

The object rules of the reviewer (never handled the case; first-time reviewers hold 法律职业资格,
行政处罚法 Art.58) are `reviewer_refusal`: a rule, not a permission, so it raises a plain
`DomainError` that the form shows, while `ensure` raises `PermissionDenied` and records the denial.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.denials import deny
from core.errors import DomainError
from org import selectors as org_selectors
from org.roles import Role
from review.models import LEGAL_REVIEW_BASIS, LegalReview

VERBS = frozenset(
    {
        "view",
        "submit_review",
        "assign_review",
        "conclude_review",
        "record_deliberation",
        "record_risk_assessment",
        "approve_risk_assessment",
    }
)

LEGAL_AFFAIRS = "legal_affairs"  # org.models.DepartmentKind.LEGAL_AFFAIRS


def _handler_ids(case_id: int) -> set[int]:
    # Imported at call time: the cases guards import review.selectors, which imports this module.
    from cases import selectors as case_selectors

    return set(case_selectors.case_handler_user_ids(case_id=case_id))


def _agency_id(obj: Any) -> int | None:
    value = getattr(obj, "agency_id", None)
    return int(value) if value is not None else None


def _case_id(obj: Any) -> int:
    """The case a verb acts on: the case itself or the review row's case."""
    case_id = getattr(obj, "case_id", None)
    return int(case_id if case_id is not None else obj.pk)


def _own_officer(actor: Any, agency_id: int | None) -> Any:
    """The actor's active officer record when it belongs to `agency_id`, else None."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return None
    officer = org_selectors.officer_for(actor)
    if officer is None or not officer.active or agency_id is None or officer.agency_id != agency_id:
        return None
    return officer


def reason_refused(actor: Any, verb: str, obj: Any) -> str | None:
    """None when `actor` may do `verb` to `obj`; otherwise the Chinese reason and what would help."""
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    if org_selectors.is_unrestricted(actor):
        return None
    agency_id = _agency_id(obj)
    if verb == "view":
        ids = org_selectors.read_agency_ids(actor)
        if ids is None or agency_id in ids:
            return None
        return _(
            "This case belongs to an agency outside your scope; you may read only your own agency's "
            "cases (supervisors: also subordinate agencies)."
        )
    officer = _own_officer(actor, agency_id)
    if officer is None:
        return _(
            "Only officers of the agency that handles this case may act on it. Ask an officer of that agency."
        )
    roles = org_selectors.roles_of(user=actor)
    if verb == "submit_review":
        if Role.HEAD in roles or actor.pk in _handler_ids(_case_id(obj)):
            return None
        return _(
            "Only a handler of the case or a head of the agency may submit it for legal review "
            "(行政处罚法 Art.58)."
        )
    if verb == "assign_review":
        in_legal_section = officer.department is not None and officer.department.kind == LEGAL_AFFAIRS
        if Role.HEAD in roles or (Role.LEGAL_REVIEWER in roles and in_legal_section):
            return None
        return _(
            "Only a head of the agency or a legal reviewer of its legal affairs section may assign "
            "a legal review."
        )
    if verb == "conclude_review":
        if Role.LEGAL_REVIEWER not in roles:
            return _(
                "Only a legal reviewer (法制审核人员) may give the legal review opinion "
                "(行政处罚法 Art.58). Ask the security administrator to grant the role, or ask a "
                "legal reviewer of the agency."
            )
        reviewer_id = getattr(obj, "reviewer_id", None)
        if reviewer_id is not None and reviewer_id != actor.pk:
            return _(
                "This review is assigned to another reviewer; only that reviewer may give the "
                "opinion. Ask the head to reassign it."
            )
        return None
    if verb == "record_deliberation":
        if roles & {Role.HEAD, Role.LEGAL_REVIEWER}:
            return None
        return _(
            "Only a head or a legal reviewer of the agency may record a collective deliberation "
            "(行政处罚法 Art.57)."
        )
    if verb == "record_risk_assessment":
        if roles & {Role.HEAD, Role.LEGAL_REVIEWER} or actor.pk in _handler_ids(_case_id(obj)):
            return None
        return _(
            "Only a handler of the case, a legal reviewer or a head of the agency may record a risk "
            "assessment."
        )
    # approve_risk_assessment
    if Role.HEAD in roles:
        return None
    return _("Only a head of the agency may approve a risk assessment (新密国土资〔2013〕9号 三(五)).")


def can(actor: Any, verb: str, obj: Any) -> bool:
    """May `actor` do `verb` to `obj`? For templates and the cases' available actions."""
    return reason_refused(actor, verb, obj) is None


def ensure(actor: Any, verb: str, obj: Any) -> None:
    """Raise PermissionDenied unless allowed; the denial is a ledger act in its own transaction."""
    reason = reason_refused(actor, verb, obj)
    if reason is None:
        return
    deny(
        actor=actor,
        verb=f"review.{verb}",
        reason=reason,
        code="review.permission_denied",
        obj=obj,
        agency_id=_agency_id(obj),
    )


def holds_legal_qualification(*, user: Any) -> bool:
    """Does the user's officer record hold a 法律职业资格 (org.LegalQualification)?

    org has no selector for this yet; read through `visible_officers(None)` (the system's scope)
    rather than org.models. Replace with an org selector when one exists.
    """
    return (
        org_selectors.visible_officers(None)
        .filter(user_id=user.pk, legal_qualifications__isnull=False)
        .exists()
    )


def has_reviewed_before(*, user: Any, exclude_review_id: int | None = None) -> bool:
    """Has the user concluded a legal review before (so is not reviewing for the first time)?"""
    qs = LegalReview.objects.filter(reviewer_id=user.pk).exclude(opinion="")
    if exclude_review_id is not None:
        qs = qs.exclude(pk=exclude_review_id)
    return qs.exists()


def reviewer_refusal(*, user: Any, review: LegalReview) -> DomainError | None:
    """Why `user` may not review `review` (行政处罚法 Art.58), or None when they may."""
    officer = org_selectors.officer_for(user)
    name = officer.name if officer is not None else str(user)
    if (
        officer is None
        or not officer.active
        or officer.agency_id != review.agency_id
        or Role.LEGAL_REVIEWER not in org_selectors.roles_of(user=user)
    ):
        return DomainError(
            _(
                "%(name)s is not a legal reviewer (法制审核人员) of this agency (行政处罚法 Art.58). Ask "
                "the security administrator to grant the role, or choose another reviewer."
            )
            % {"name": name},
            code="review.not_legal_reviewer",
            basis=LEGAL_REVIEW_BASIS,
            status=409,
        )
    if user.pk in _handler_ids(review.case_id):
        return DomainError(
            _(
                "%(name)s handled this case and may not review it: legal review is an independent check "
                "before the decision (行政处罚法 Art.58). Choose a legal reviewer who never handled the "
                "case."
            )
            % {"name": name},
            code="review.reviewer_handled_case",
            basis=LEGAL_REVIEW_BASIS,
            status=409,
        )
    if not has_reviewed_before(user=user, exclude_review_id=review.pk) and not holds_legal_qualification(
        user=user
    ):
        return DomainError(
            _(
                "%(name)s is reviewing for the first time and holds no legal professional qualification "
                "(法律职业资格): 行政处罚法 Art.58 requires first-time reviewers to hold it. Choose a "
                "qualified or experienced reviewer, or ask the security administrator to record the "
                "qualification."
            )
            % {"name": name},
            code="review.first_review_unqualified",
            basis="行政处罚法 Art.58 第二款",
            status=409,
        )
    return None
