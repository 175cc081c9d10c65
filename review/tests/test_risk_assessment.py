"""风险评估 (seed 000, 新密国土资〔2013〕9号 三(五)): six dimensions, overall level, a head approves."""

import pytest

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from review import selectors, services
from review.models import RiskLevel
from review.tests.factories import all_dimensions, reviewer

pytestmark = pytest.mark.django_db


def assess(actor, case, dimensions=None, overall=RiskLevel.LOW, mitigation=""):
    return services.risk_assessment_record(
        actor=actor,
        case_id=case.pk,
        dimensions=dimensions or all_dimensions(),
        overall_level=overall,
        mitigation=mitigation,
    )


def test_given_six_dimensions_when_recorded_and_approved_then_statuses_and_ledger(case, handlers, heads):
    assessment = assess(handlers[0].user, case)
    assert selectors.risk_assessment_status(case_id=case.pk) == "pending"
    services.risk_assessment_approve(actor=heads[0].user, assessment=assessment)
    assert selectors.risk_assessment_status(case_id=case.pk) == "approved"
    assert LedgerEntry.objects.filter(
        act="review.risk_assessment_recorded", object_id=str(assessment.pk)
    ).exists()
    assert LedgerEntry.objects.filter(
        act="review.risk_assessment_approved", object_id=str(assessment.pk)
    ).exists()


def test_given_no_assessment_then_status_none(case):
    assert selectors.risk_assessment_status(case_id=case.pk) == "none"


@pytest.mark.parametrize(
    "missing", ["legality", "integrity", "reasonableness", "feasibility", "safety", "controllability"]
)
def test_given_a_missing_dimension_then_refused_naming_it(case, handlers, missing):
    dimensions = all_dimensions()
    del dimensions[missing]
    with pytest.raises(ValidationFailed) as exc:
        assess(handlers[0].user, case, dimensions)
    assert list(exc.value.field_errors) == [missing]
    assert "新密国土资〔2013〕9号" in exc.value.message


def test_given_an_overall_level_below_a_dimension_then_refused(case, handlers):
    dimensions = all_dimensions(safety={"level": RiskLevel.HIGH, "note": "当事人扬言阻挠拆除"})
    with pytest.raises(ValidationFailed) as exc:
        assess(handlers[0].user, case, dimensions, overall=RiskLevel.MEDIUM, mitigation="制定应急预案")
    assert "overall_level" in exc.value.field_errors


def test_given_a_medium_risk_without_mitigation_then_refused(case, handlers):
    with pytest.raises(ValidationFailed) as exc:
        assess(handlers[0].user, case, all_dimensions(RiskLevel.MEDIUM), overall=RiskLevel.MEDIUM)
    assert "mitigation" in exc.value.field_errors


def test_given_a_non_head_when_approving_then_permission_denied(case, handlers, agency):
    assessment = assess(handlers[0].user, case)
    with pytest.raises(PermissionDenied):
        services.risk_assessment_approve(actor=reviewer(agency=agency).user, assessment=assessment)
    assert selectors.risk_assessment_status(case_id=case.pk) == "pending"


def test_given_the_assessing_head_when_approving_then_refused(case, heads):
    assessment = assess(heads[0].user, case)
    with pytest.raises(Conflict) as exc:
        services.risk_assessment_approve(actor=heads[0].user, assessment=assessment)
    assert exc.value.code == "review.self_approval"


def test_given_an_officer_who_did_not_handle_the_case_when_recording_then_permission_denied(case, agency):
    from org.tests.factories import OfficerFactory

    with pytest.raises(PermissionDenied):
        assess(OfficerFactory(agency=agency).user, case)


def test_given_a_new_round_then_the_earlier_cannot_be_approved_and_status_follows_the_latest(
    case, handlers, heads
):
    first = assess(handlers[0].user, case)
    services.risk_assessment_approve(actor=heads[0].user, assessment=first)
    second = assess(
        handlers[0].user,
        case,
        all_dimensions(RiskLevel.MEDIUM),
        overall=RiskLevel.HIGH,
        mitigation="联合公安、乡镇到场",
    )
    assert second.round == 2
    assert selectors.risk_assessment_status(case_id=case.pk) == "pending"
    third = assess(
        handlers[0].user,
        case,
        all_dimensions(RiskLevel.MEDIUM),
        overall=RiskLevel.MEDIUM,
        mitigation="联合公安、乡镇到场",
    )
    with pytest.raises(Conflict) as exc:
        services.risk_assessment_approve(actor=heads[1].user, assessment=second)
    assert exc.value.code == "review.superseded"
    services.risk_assessment_approve(actor=heads[1].user, assessment=third)
    with pytest.raises(Conflict):
        services.risk_assessment_approve(actor=heads[2].user, assessment=third)
    assert selectors.risk_assessment_status(case_id=case.pk) == "approved"
