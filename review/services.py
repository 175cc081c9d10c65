"""Every write of legal review, deliberation and risk assessment; each one a ledger act.

Rounds are immutable once concluded: a returned review is answered by a new submission (a new
round), a wrong risk assessment by a new assessment; deliberations are recorded once, complete.
Policies are checked before the transaction opens, so a denial (itself a ledger act) survives.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, NotFound, ValidationFailed
from core.services.ledger import ledger_append
from org import selectors as org_selectors
from review import documents as review_documents
from review import policies, selectors
from review.models import (
    CHECKLIST_BASIS,
    DELIBERATION_BASIS,
    LEGAL_REVIEW_BASIS,
    NOT_APPLICABLE_POINTS,
    RISK_ASSESSMENT_BASIS,
    RISK_RANK,
    ChecklistPoint,
    Deliberation,
    DeliberationOpinion,
    LegalReview,
    PointVerdict,
    ReviewOpinion,
    RiskAssessment,
    RiskDimension,
    RiskLevel,
)


def _case(*, case_id: int, actor: Any) -> Any:
    # Imported at call time: the cases guards import review.selectors.
    from cases import selectors as case_selectors

    case = case_selectors.case_get(case_id=case_id, actor=actor)
    if case is None:
        raise NotFound(
            _("No such case, or it belongs to an agency outside your scope."), code="review.case_not_found"
        )
    return case


def _officer_name(user: Any) -> str:
    officer = org_selectors.officer_for(user)
    return officer.name if officer is not None else str(getattr(user, "username", user))


# --- legal review (法制审核) --------------------------------------------------------------------


def legal_review_submit(*, actor: Any, case_id: int, note: str = "") -> LegalReview:
    """Submit a case for 法制审核 (行政处罚法 Art.58); a new round after a return, never two at once."""
    case = _case(case_id=case_id, actor=actor)
    policies.ensure(actor, "submit_review", case)
    try:
        with transaction.atomic():
            rounds = LegalReview.objects.select_for_update().filter(case_id=case.pk)
            if rounds.filter(opinion="").exists():
                raise Conflict(
                    _(
                        "This case is already waiting for a legal review opinion; wait for the opinion "
                        "(行政处罚法 Art.58) before submitting again."
                    ),
                    code="review.already_pending",
                    basis=LEGAL_REVIEW_BASIS,
                )
            number = (rounds.aggregate(m=Max("round"))["m"] or 0) + 1
            review = LegalReview.objects.create(
                case_id=case.pk,
                agency_id=case.agency_id,
                round=number,
                submitted_by=actor,
                submitted_at=timezone.now(),
                submission_note=note.strip(),
            )
            ledger_append(
                actor=actor,
                act="review.legal_review_submitted",
                obj=review,
                agency_id=review.agency_id,
                payload={"case_id": case.pk, "round": number, "note": review.submission_note},
            )
    except IntegrityError as exc:  # a concurrent submission won the one-pending constraint
        raise Conflict(
            _("Someone else submitted this case for legal review at the same moment."),
            code="review.already_pending",
            basis=LEGAL_REVIEW_BASIS,
        ) from exc
    return review


def _raise_if(refusal: DomainError | None) -> None:
    if refusal is not None:
        raise refusal


def _locked_pending(review: LegalReview) -> LegalReview:
    locked: LegalReview = LegalReview.objects.select_for_update().get(pk=review.pk)
    if locked.concluded:
        raise Conflict(
            _(
                "This legal review round was concluded on %(date)s and can no longer change; the case is "
                "submitted again as a new round."
            )
            % {"date": timezone.localtime(locked.opinion_at).date()},
            code="review.concluded",
        )
    return locked


def legal_review_assign(*, actor: Any, review: LegalReview, reviewer: Any) -> LegalReview:
    """Assign a round to a legal reviewer who never handled the case and, reviewing for the first
    time, holds 法律职业资格 (行政处罚法 Art.58)."""
    policies.ensure(actor, "assign_review", review)
    _raise_if(policies.reviewer_refusal(user=reviewer, review=review))
    with transaction.atomic():
        locked = _locked_pending(review)
        old = locked.reviewer_id
        if old == reviewer.pk:
            return locked
        locked.reviewer = reviewer
        locked.assigned_by = actor
        locked.assigned_at = timezone.now()
        locked.save(update_fields=["reviewer", "assigned_by", "assigned_at"])
        ledger_append(
            actor=actor,
            act="review.legal_review_assigned",
            obj=locked,
            agency_id=locked.agency_id,
            payload={
                "case_id": locked.case_id,
                "round": locked.round,
                "changes": {"reviewer_id": {"old": old, "new": reviewer.pk}},
            },
        )
    return locked


def _clean_checklist(checklist: Mapping[str, Any], opinion: str) -> dict[str, dict[str, str]]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, dict[str, str]] = {}
    for point in ChecklistPoint:
        answer = checklist.get(point.value) or {}
        verdict = str(answer.get("verdict") or "")
        note = str(answer.get("note") or "").strip()
        allowed = set(PointVerdict.values)
        if point not in NOT_APPLICABLE_POINTS:
            allowed.discard(PointVerdict.NOT_APPLICABLE)
        if verdict not in allowed:
            errors[point.value] = [
                _("Answer this point of the review (国办发〔2018〕118号: every point is checked).")
            ]
            continue
        if verdict == PointVerdict.NON_COMPLIANT and not note:
            errors[f"{point.value}_note"] = [_("Say what is wrong and what must be corrected.")]
        if verdict == PointVerdict.NON_COMPLIANT and opinion == ReviewOpinion.PASS:
            errors[point.value] = [
                _(
                    "A review that passes finds every point compliant; return the case "
                    "for correction or do not pass it."
                )
            ]
        clean[point.value] = {"verdict": verdict, "note": note}
    if errors:
        raise ValidationFailed(
            _(
                "Every point of the review checklist must be answered (国办发〔2018〕118号); see the "
                "points marked below."
            ),
            code="review.checklist_incomplete",
            basis=CHECKLIST_BASIS,
            field_errors=errors,
        )
    return clean


def legal_review_conclude(
    *, actor: Any, review: LegalReview, checklist: Mapping[str, Any], opinion: str, reasons: str
) -> LegalReview:
    """Give the 法制审核 opinion: pass, return for correction or not pass (行政处罚法 Art.58).

    Refused when the reviewer handled the case, lacks the legal reviewer role, or reviews for the
    first time without 法律职业资格; every checklist point answered; reasons unless it passes.
    """
    policies.ensure(actor, "conclude_review", review)
    _raise_if(policies.reviewer_refusal(user=actor, review=review))
    if opinion not in ReviewOpinion.values:
        message = _("Choose the opinion: pass, return for correction, or not pass.")
        raise ValidationFailed(message, code="review.opinion_missing", field_errors={"opinion": [message]})
    reasons = reasons.strip()
    if opinion != ReviewOpinion.PASS and not reasons:
        message = _(
            "An opinion other than pass states its reasons, so that the handlers know what to "
            "correct (行政处罚法 Art.58)."
        )
        raise ValidationFailed(
            message,
            code="review.reasons_missing",
            basis=LEGAL_REVIEW_BASIS,
            field_errors={"reasons": [message]},
        )
    clean = _clean_checklist(checklist, opinion)
    case = _case(case_id=review.case_id, actor=actor)
    with transaction.atomic():
        locked = _locked_pending(review)
        if locked.reviewer_id not in (None, actor.pk):
            raise Conflict(_("This review was just assigned to another reviewer."), code="review.reassigned")
        first_time = not policies.has_reviewed_before(user=actor, exclude_review_id=locked.pk)
        locked.reviewer = actor
        locked.checklist = clean
        locked.opinion = opinion
        locked.reasons = reasons
        locked.opinion_at = timezone.now()
        locked.save(update_fields=["reviewer", "checklist", "opinion", "reasons", "opinion_at"])
        ledger_append(
            actor=actor,
            act="review.legal_review_concluded",
            obj=locked,
            agency_id=locked.agency_id,
            payload={
                "case_id": locked.case_id,
                "round": locked.round,
                "opinion": opinion,
                "reasons": reasons,
                "checklist": clean,
                "first_review": first_time,
            },
        )
        # 法制审核意见书, whatever the opinion (pass, return, not pass)
        review_documents.issue(
            actor=actor,
            case=case,
            kind="legal_review_opinion",
            context=review_documents.legal_review_context(locked, case),
            key=f"review-legal_review-{locked.pk}",
            on=timezone.localdate(),
        )
    return locked


# --- collective deliberation (集体讨论) ----------------------------------------------------------


def deliberation_record(
    *,
    actor: Any,
    case_id: int,
    held_on: datetime.date,
    place: str = "",
    attendees: Iterable[Any],
    opinions: Mapping[int, str],
    conclusion: str,
    chaired_by: Any = None,
) -> Deliberation:
    """Record a 集体讨论 chaired by a head, with a quorum of the agency's heads (行政处罚法 Art.57).

    `attendees`: users (or their ids); `opinions`: user id → that attendee's opinion, one for each
    attendee; the chair (default: the actor) attends. Quorum: see `review.selectors`.
    """
    case = _case(case_id=case_id, actor=actor)
    policies.ensure(actor, "record_deliberation", case)
    chair = actor if chaired_by is None else chaired_by
    errors: dict[str, list[str]] = {}
    conclusion = conclusion.strip()
    if not conclusion:
        errors["conclusion"] = [_("The deliberation's conclusion is required (行政处罚法 Art.57).")]
    if held_on > timezone.localdate():
        errors["held_on"] = [
            _("A deliberation is recorded after it was held; the date cannot be in the future.")
        ]
    officers = {o.user_id: o for o in selectors.agency_officers(agency_id=case.agency_id)}
    attendee_ids = list(dict.fromkeys([int(getattr(a, "pk", a)) for a in attendees] + [int(chair.pk)]))
    outsiders = [i for i in attendee_ids if i not in officers]
    if outsiders:
        errors["attendees"] = [_("Attendees are active officers of the agency handling the case.")]
    head_ids = selectors.agency_head_ids(agency_id=case.agency_id)
    if chair.pk not in head_ids:
        errors["chaired_by"] = [
            _(
                "A head of the agency chairs the deliberation (行政处罚法 Art.57: "
                "the heads decide collectively)."
            )
        ]
    missing = [
        officers[i].name for i in attendee_ids if i in officers and not str(opinions.get(i, "")).strip()
    ]
    if missing:
        errors["opinions"] = [
            _("Record the opinion of every attendee; missing: %(names)s.") % {"names": "、".join(missing)}
        ]
    if errors:
        raise ValidationFailed(
            _("The deliberation record is incomplete; see the fields marked below."),
            code="review.deliberation_incomplete",
            basis=DELIBERATION_BASIS,
            field_errors=errors,
        )
    ratio = selectors.deliberation_quorum_ratio()
    present = len(head_ids & set(attendee_ids))
    if not selectors.quorum_met(heads_present=present, heads_total=len(head_ids), ratio=ratio):
        raise Conflict(
            _(
                "No quorum: %(present)d of the agency's %(total)d heads attended, more than %(percent)s%% "
                "must (集体讨论, 行政处罚法 Art.57; quorum set by the agency). Hold the deliberation with "
                "more heads present."
            )
            % {"present": present, "total": len(head_ids), "percent": f"{(ratio * 100).normalize():f}"},
            code="review.quorum_not_met",
            basis=DELIBERATION_BASIS,
        )
    with transaction.atomic():
        deliberation = Deliberation.objects.create(
            case_id=case.pk,
            agency_id=case.agency_id,
            held_on=held_on,
            place=place.strip()[:200],
            chaired_by=chair,
            recorded_by=actor,
            recorded_at=timezone.now(),
            conclusion=conclusion,
            heads_total=len(head_ids),
            heads_present=present,
            quorum_ratio=ratio,
            quorum_met=True,
        )
        rows = [
            DeliberationOpinion(
                deliberation=deliberation,
                attendee_id=i,
                attendee_name=officers[i].name,
                is_head=i in head_ids,
                opinion=str(opinions[i]).strip(),
            )
            for i in attendee_ids
        ]
        DeliberationOpinion.objects.bulk_create(rows)
        ledger_append(
            actor=actor,
            act="review.deliberation_recorded",
            obj=deliberation,
            agency_id=deliberation.agency_id,
            payload={
                "case_id": case.pk,
                "held_on": held_on.isoformat(),
                "chaired_by": chair.pk,
                "opinions": {str(r.attendee_id): r.opinion for r in rows},
                "conclusion": conclusion,
                "heads_present": present,
                "heads_total": len(head_ids),
                "quorum_ratio": str(ratio),
                "place": deliberation.place,
            },
        )
        # 集体讨论记录
        review_documents.issue(
            actor=actor,
            case=case,
            kind="collective_discussion",
            context=review_documents.deliberation_context(
                deliberation, case, head_names=[officers[i].name for i in sorted(head_ids) if i in officers]
            ),
            key=f"review-deliberation-{deliberation.pk}",
            on=held_on,
        )
    return deliberation


# --- risk assessment (风险评估) ------------------------------------------------------------------


def _clean_dimensions(dimensions: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, dict[str, str]] = {}
    for dim in RiskDimension:
        answer = dimensions.get(dim.value) or {}
        level = str(answer.get("level") or "")
        note = str(answer.get("note") or "").strip()
        if level not in RiskLevel.values:
            errors[dim.value] = [_("Assess this dimension: low, medium or high.")]
            continue
        if level != RiskLevel.LOW and not note:
            errors[f"{dim.value}_note"] = [_("Name the risk found in this dimension.")]
        clean[dim.value] = {"level": level, "note": note}
    if errors:
        raise ValidationFailed(
            _(
                "A risk assessment covers all six dimensions — legality, integrity, reasonableness, "
                "feasibility, safety, controllability (新密国土资〔2013〕9号 三(五)); see the fields marked "
                "below."
            ),
            code="review.dimensions_incomplete",
            basis=RISK_ASSESSMENT_BASIS,
            field_errors=errors,
        )
    return clean


def risk_assessment_record(
    *, actor: Any, case_id: int, dimensions: Mapping[str, Any], overall_level: str, mitigation: str
) -> RiskAssessment:
    """Record a 风险评估 on the six dimensions with an overall level and mitigation (seed 000,
    新密国土资〔2013〕9号 三(五)); a new round supersedes an unapproved one."""
    case = _case(case_id=case_id, actor=actor)
    policies.ensure(actor, "record_risk_assessment", case)
    clean = _clean_dimensions(dimensions)
    errors: dict[str, list[str]] = {}
    mitigation = mitigation.strip()
    highest = max(RISK_RANK[v["level"]] for v in clean.values())
    if overall_level not in RiskLevel.values:
        errors["overall_level"] = [_("Choose the overall risk level.")]
    elif RISK_RANK[overall_level] < highest:
        errors["overall_level"] = [_("The overall level is at least the highest level of any dimension.")]
    if (highest > 0 or overall_level in (RiskLevel.MEDIUM, RiskLevel.HIGH)) and not mitigation:
        errors["mitigation"] = [
            _(
                "A medium or high risk needs mitigation measures and an emergency plan "
                "(新密国土资〔2013〕9号 三(五))."
            )
        ]
    if errors:
        raise ValidationFailed(
            _("The risk assessment is incomplete; see the fields marked below."),
            code="review.risk_assessment_incomplete",
            basis=RISK_ASSESSMENT_BASIS,
            field_errors=errors,
        )
    with transaction.atomic():
        rounds = RiskAssessment.objects.select_for_update().filter(case_id=case.pk)
        number = (rounds.aggregate(m=Max("round"))["m"] or 0) + 1
        assessment = RiskAssessment.objects.create(
            case_id=case.pk,
            agency_id=case.agency_id,
            round=number,
            dimensions=clean,
            overall_level=overall_level,
            mitigation=mitigation,
            assessed_by=actor,
            assessed_at=timezone.now(),
        )
        ledger_append(
            actor=actor,
            act="review.risk_assessment_recorded",
            obj=assessment,
            agency_id=assessment.agency_id,
            payload={
                "case_id": case.pk,
                "round": number,
                "dimensions": clean,
                "overall_level": overall_level,
                "mitigation": mitigation,
            },
        )
        # 重大事项风险评估报告 of this round
        review_documents.issue(
            actor=actor,
            case=case,
            kind="risk_assessment",
            context=review_documents.risk_assessment_context(assessment, case),
            key=f"review-risk_assessment-{assessment.pk}",
            on=timezone.localdate(),
        )
    return assessment


def risk_assessment_approve(*, actor: Any, assessment: RiskAssessment) -> RiskAssessment:
    """A head approves the latest risk assessment; not the one who assessed (seed 000, 三(五))."""
    policies.ensure(actor, "approve_risk_assessment", assessment)
    with transaction.atomic():
        locked: RiskAssessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.approved:
            raise Conflict(_("This risk assessment is already approved."), code="review.already_approved")
        latest = RiskAssessment.objects.filter(case_id=locked.case_id).aggregate(m=Max("round"))["m"]
        if locked.round != latest:
            raise Conflict(
                _("A later risk assessment of this case supersedes this one; approve the latest."),
                code="review.superseded",
                basis=RISK_ASSESSMENT_BASIS,
            )
        if locked.assessed_by_id == actor.pk:
            raise Conflict(
                _(
                    "%(name)s made this assessment and may not also approve it; another head approves "
                    "(新密国土资〔2013〕9号 三(五))."
                )
                % {"name": _officer_name(actor)},
                code="review.self_approval",
                basis=RISK_ASSESSMENT_BASIS,
            )
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.save(update_fields=["approved_by", "approved_at"])
        ledger_append(
            actor=actor,
            act="review.risk_assessment_approved",
            obj=locked,
            agency_id=locked.agency_id,
            payload={"case_id": locked.case_id, "round": locked.round, "overall_level": locked.overall_level},
        )
    return locked


__all__ = [
    "deliberation_record",
    "legal_review_assign",
    "legal_review_conclude",
    "legal_review_submit",
    "risk_assessment_approve",
    "risk_assessment_record",
]
