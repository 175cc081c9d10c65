"""Issue 9 §4: follow-up satisfaction, conduct complaints and exam results as metrics and default
indicators — each figure moves when the underlying data (written through the owning app's
services) changes, per agency, department and officer."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from cases.tests.factories import new_case, walk
from complaints import services as complaint_services
from followups import services as followup_services
from org import selectors as org_selectors
from supervision import metrics, services
from supervision.models import Indicator, Level
from training import services as training_services

TODAY = timezone.localdate()
START, END = TODAY - datetime.timedelta(days=400), TODAY + datetime.timedelta(days=400)


def figure(sup, code, level, subject):
    data = metrics.compute(level=level, agency_id=sup.county.pk, start=START, end=END, codes={code})
    return data.get(subject, {}).get(code, Decimal(0))


def test_the_new_indicators_are_seeded_with_formulas_over_known_metrics(sup):
    seeded = {i.code: i for i in Indicator.objects.filter(active=True)}
    assert seeded["followup_satisfaction"].formula == "followup_satisfied / followup_answered"
    assert seeded["complaints"].formula == "complaints_upheld"
    assert seeded["complaints"].direction == "lower"
    assert seeded["exam_score"].formula == "exam_percent_sum / exam_taken"
    assert {"followup_answered", "followup_satisfied", "complaints_upheld", "exam_taken"} <= metrics.NAMES


def test_follow_up_satisfaction_moves_with_the_answers(sup):
    case = walk(new_case(sup.world), sup.world, "closed")
    followup = followup_services.followup_for_decision(actor=sup.world.officer1.user, case_id=case.pk)
    officer = org_selectors.officer_for(followup.officer)
    assert officer is not None
    assert figure(sup, "followup_answered", metrics.OFFICER, officer.pk) == 0

    followup_services.answer_record(
        actor=followup.officer,
        followup=followup,
        answered_by="phone",
        satisfaction="dissatisfied",
        rectification="done",
        conduct="proper",
    )
    assert figure(sup, "followup_answered", metrics.OFFICER, officer.pk) == 1
    assert figure(sup, "followup_satisfied", metrics.OFFICER, officer.pk) == 0
    assert figure(sup, "followup_answered", metrics.AGENCY, sup.county.pk) == 1
    if officer.department_id:
        assert figure(sup, "followup_answered", metrics.DEPARTMENT, officer.department_id) == 1

    second = walk(new_case(sup.world), sup.world, "closed")
    other = followup_services.followup_for_decision(actor=sup.world.officer1.user, case_id=second.pk)
    followup_services.answer_record(
        actor=other.officer,
        followup=other,
        answered_by="visit",
        satisfaction="very_satisfied",
        rectification="done",
        conduct="proper",
    )
    assert figure(sup, "followup_satisfied", metrics.AGENCY, sup.county.pk) == 1
    assert figure(sup, "followup_answered", metrics.AGENCY, sup.county.pk) == 2


def _conduct_complaint(sup, officer):
    cert = org_selectors.visible_certificates(None).filter(officer=officer).first()
    return complaint_services.complaint_submit(
        agency_id=sup.county.pk,
        category="conduct",
        description="执法人员在现场检查时态度粗暴。",
        contact_name="投诉人",
        contact_phone="13800000000",
        officer_named=officer.name,
        officer_certificate=cert.number,
    )


def test_conduct_complaints_count_against_the_officer_and_the_department(sup):
    officer = sup.world.officer1
    assert figure(sup, "complaints_conduct", metrics.OFFICER, officer.pk) == 0
    complaint = _conduct_complaint(sup, officer)
    assert complaint.subject_officer_id == officer.pk
    assert figure(sup, "complaints_conduct", metrics.OFFICER, officer.pk) == 1
    assert figure(sup, "complaints_conduct", metrics.DEPARTMENT, sup.dept1.pk) == 1
    assert figure(sup, "complaints_conduct", metrics.DEPARTMENT, sup.dept2.pk) == 0
    _conduct_complaint(sup, officer)
    assert figure(sup, "complaints_conduct", metrics.AGENCY, sup.county.pk) == 2


def test_only_conduct_complaints_found_upheld_count_as_upheld(sup):
    officer = sup.world.officer1
    head = sup.world.head.user
    upheld, dismissed = _conduct_complaint(sup, officer), _conduct_complaint(sup, officer)
    assert figure(sup, "complaints_upheld", metrics.OFFICER, officer.pk) == 0  # received, not yet found
    for complaint, finding in ((dismissed, "not_upheld"), (upheld, "upheld")):
        complaint_services.complaint_accept(actor=head, complaint=complaint)
        complaint_services.complaint_reply(
            actor=head, complaint=complaint, text="经核查，已作处理。", finding=finding
        )
    assert figure(sup, "complaints_upheld", metrics.OFFICER, officer.pk) == 1
    assert figure(sup, "complaints_upheld", metrics.DEPARTMENT, sup.dept1.pk) == 1
    assert figure(sup, "complaints_upheld", metrics.AGENCY, sup.county.pk) == 1
    assert figure(sup, "complaints_conduct", metrics.OFFICER, officer.pk) == 2


def _paper_exam(sup, title):
    now = timezone.now()
    return training_services.exam_create(
        actor=sup.world.head.user,
        agency=sup.county,
        title=title,
        subject="行政处罚法",
        mode="paper",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now,
    )


def test_exam_results_move_the_exam_indicator_in_an_assessment(sup):
    head = sup.world.head.user
    officer = sup.world.officer2
    training_services.paper_score_enter(
        actor=head, exam=_paper_exam(sup, "一季度考试"), officer_id=officer.pk, score=90
    )
    assert figure(sup, "exam_taken", metrics.OFFICER, officer.pk) == 1
    assert figure(sup, "exam_percent_sum", metrics.OFFICER, officer.pk) == 90
    assert figure(sup, "exam_passed", metrics.DEPARTMENT, sup.dept2.pk) == 1
    training_services.paper_score_enter(
        actor=head, exam=_paper_exam(sup, "二季度考试"), officer_id=officer.pk, score=40
    )
    assert figure(sup, "exam_taken", metrics.OFFICER, officer.pk) == 2
    assert figure(sup, "exam_passed", metrics.OFFICER, officer.pk) == 1

    run = services.assessment_run(
        actor=head, agency_id=sup.county.pk, level=Level.OFFICER, period_start=START, period_end=END
    )
    result = run.results.get(subject_id=officer.pk)
    assert Decimal(result.values["exam_score"]) == 65
    assert "exam_score" in {i["code"] for i in run.indicators}
