from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.errors import PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from org.selectors import visible_certificates
from training import selectors, services
from training.tests.conftest import bank, online_exam, right_answers, wrong_answers


def test_questions_are_drawn_per_candidate_with_a_recorded_seed_that_reproduces_the_draw(world):
    pool = bank(world)
    exam = online_exam(world, count=3)
    a1 = services.attempt_start(actor=world.officer.user, exam=exam)
    a2 = services.attempt_start(actor=world.colleague.user, exam=exam)
    for attempt in (a1, a2):
        assert attempt.seed is not None and len(attempt.question_ids) == 3
        assert attempt.question_ids == random.Random(attempt.seed).sample(sorted(q.pk for q in pool), 3)
        entry = LedgerEntry.objects.filter(act="training.attempt_started", object_id=str(attempt.pk)).get()
        assert str(attempt.seed) in entry.payload
    # Starting again resumes the same attempt: same questions, same clock.
    again = services.attempt_start(actor=world.officer.user, exam=exam)
    assert again.pk == a1.pk and again.due_at == a1.due_at


def test_objective_questions_are_scored_automatically_and_short_answers_by_a_marker(world):
    bank(world)
    exam = online_exam(world)
    attempt = services.attempt_start(actor=world.officer.user, exam=exam)
    services.attempt_submit(actor=world.officer.user, attempt=attempt, answers=right_answers(attempt))
    assert attempt.status == "submitted" and attempt.score is None
    short = next(k for k, v in attempt.marks.items() if v is None)
    assert sum(v for v in attempt.marks.values() if v is not None) == 40
    with pytest.raises(ValidationFailed):
        services.attempt_mark(actor=world.legal.user, attempt=attempt, marks={short: "25"})  # > 20
    services.attempt_mark(actor=world.legal.user, attempt=attempt, marks={short: "15"})
    attempt.refresh_from_db()
    assert attempt.status == "marked" and attempt.score == 55 and attempt.max_score == 60
    assert str(attempt.percent) == "91.7" and attempt.passed is True
    assert attempt.marked_by == world.legal.user


def test_an_exam_with_only_objective_questions_is_marked_on_hand_in(world):
    bank(world)
    exam = online_exam(world, count=5)
    attempt = services.attempt_start(actor=world.officer.user, exam=exam)
    answers = {k: v for k, v in wrong_answers(attempt).items()}
    services.attempt_submit(actor=world.officer.user, attempt=attempt, answers=answers)
    assert attempt.status == "submitted"  # the short answer "不知道" waits for a marker
    exam2 = services.exam_create(
        actor=world.head.user,
        agency=world.agency,
        title="判断题测验",
        subject="土地管理法",
        mode="online",
        question_count=1,
        duration_minutes=5,
        opens_at=exam.opens_at,
        closes_at=exam.closes_at,
    )
    attempt2 = services.attempt_start(actor=world.colleague.user, exam=exam2)
    services.attempt_submit(actor=world.colleague.user, attempt=attempt2, answers=right_answers(attempt2))
    q = services.attempt_questions(attempt2)[0]
    assert attempt2.status == ("submitted" if q.kind == "short" else "marked")


def test_a_late_hand_in_is_refused_and_the_attempt_closes_with_the_answers_saved_in_time(world):
    bank(world)
    exam = online_exam(world, minutes=10)
    attempt = services.attempt_start(actor=world.officer.user, exam=exam)
    saved = right_answers(attempt)
    first = next(iter(saved))
    services.attempt_save(actor=world.officer.user, attempt=attempt, answers={first: saved[first]})
    with time_machine.travel(attempt.due_at + dt.timedelta(minutes=2), tick=False):
        from core.errors import Conflict

        with pytest.raises(Conflict):
            services.attempt_save(actor=world.officer.user, attempt=attempt, answers=saved)
        services.attempt_submit(actor=world.officer.user, attempt=attempt, answers=saved)
    attempt.refresh_from_db()
    assert attempt.auto_submitted is True
    assert set(attempt.answers) == {first}  # the late answers were not taken
    entry = LedgerEntry.objects.filter(act="training.attempt_submitted", object_id=str(attempt.pk)).get()
    assert '"auto_submitted":true' in entry.payload


def test_within_the_grace_period_the_answers_still_count(world):
    bank(world)
    exam = online_exam(world, minutes=10)
    attempt = services.attempt_start(actor=world.officer.user, exam=exam)
    with time_machine.travel(attempt.due_at + dt.timedelta(seconds=10), tick=False):
        services.attempt_submit(actor=world.officer.user, attempt=attempt, answers=right_answers(attempt))
    assert attempt.auto_submitted is False and len(attempt.answers) == 5


def test_the_periodic_close_is_idempotent(world):
    bank(world)
    exam = online_exam(world, minutes=10)
    attempt = services.attempt_start(actor=world.officer.user, exam=exam)
    with time_machine.travel(attempt.due_at + dt.timedelta(hours=1), tick=False):
        assert [a.pk for a in services.attempts_close_expired()] == [attempt.pk]
        assert services.attempts_close_expired() == []
    attempt.refresh_from_db()
    assert attempt.status == "marked" and attempt.auto_submitted  # a blank short answer scores 0
    assert attempt.marks and all(v == 0 for v in attempt.marks.values()) and attempt.passed is False


def _paper(world, title):
    now = timezone.now()
    return services.exam_create(
        actor=world.head.user,
        agency=world.agency,
        title=title,
        subject="行政处罚法",
        mode="paper",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now,
    )


def test_failing_twice_suspends_the_certificate_until_a_pass_lifts_it(world):
    first = _paper(world, "第一次考试")
    services.paper_score_enter(actor=world.head.user, exam=first, officer_id=world.officer.pk, score=45)
    cert = visible_certificates(None).get(pk=world.certificate.pk)
    assert cert.status == "valid"  # one failure: a retake, still on duty
    second = _paper(world, "补考")
    services.paper_score_enter(actor=world.head.user, exam=second, officer_id=world.officer.pk, score=50)
    cert.refresh_from_db()
    assert cert.status == "suspended" and "补考" in cert.status_reason
    suspended = LedgerEntry.objects.filter(act="org.certificate_suspended", object_id=str(cert.pk)).get()
    assert suspended.actor_id is None  # the system, as a consequence of the result
    third = _paper(world, "再次补考")
    services.paper_score_enter(actor=world.head.user, exam=third, officer_id=world.officer.pk, score=80)
    cert.refresh_from_db()
    assert cert.status == "valid"
    assert LedgerEntry.objects.filter(act="org.certificate_reinstated", object_id=str(cert.pk)).count() == 1


def test_a_pass_does_not_lift_a_suspension_training_did_not_make(world):
    from org.services.certificates import certificate_suspend

    certificate_suspend(actor=None, certificate=world.certificate, reason="涉嫌违纪，暂扣")
    exam = _paper(world, "季度考试")
    services.paper_score_enter(actor=world.head.user, exam=exam, officer_id=world.officer.pk, score=90)
    world.certificate.refresh_from_db()
    assert world.certificate.status == "suspended"


def test_paper_scores_are_validated_and_entered_once(world):
    exam = _paper(world, "纸质考试")
    with pytest.raises(ValidationFailed) as err:
        services.paper_score_enter(actor=world.head.user, exam=exam, officer_id=world.outsider.pk, score=101)
    assert set(err.value.field_errors) == {"score", "officer"}
    services.paper_score_enter(actor=world.head.user, exam=exam, officer_id=world.officer.pk, score=60)
    from core.errors import Conflict

    with pytest.raises(Conflict):
        services.paper_score_enter(actor=world.head.user, exam=exam, officer_id=world.officer.pk, score=70)


def test_an_exam_needs_enough_questions_in_the_bank(world):
    bank(world)
    with pytest.raises(ValidationFailed) as err:
        online_exam(world, count=6)
    assert "question_count" in err.value.field_errors


def test_only_organisers_set_exams_and_nobody_marks_their_own(world):
    with pytest.raises(PermissionDenied):
        services.exam_create(
            actor=world.officer.user,
            agency=world.agency,
            title="x",
            subject="x",
            mode="paper",
            opens_at=timezone.now(),
            closes_at=timezone.now() + dt.timedelta(1),
        )
    denial = LedgerEntry.objects.filter(act="auth.permission_denied").latest("seq")
    assert "training.manage" in denial.payload
    bank(world)
    exam = online_exam(world)
    attempt = services.attempt_start(actor=world.legal.user, exam=exam)
    services.attempt_submit(actor=world.legal.user, attempt=attempt, answers=right_answers(attempt))
    with pytest.raises(PermissionDenied):
        services.attempt_mark(actor=world.legal.user, attempt=attempt, marks={})
    with pytest.raises(PermissionDenied):
        services.attempt_start(actor=world.outsider.user, exam=exam)


def test_exam_results_selector_for_supervision(world):
    exam = _paper(world, "纸质考试")
    services.paper_score_enter(actor=world.head.user, exam=exam, officer_id=world.officer.pk, score=59)
    services.paper_score_enter(actor=world.head.user, exam=exam, officer_id=world.colleague.pk, score=88)
    today = timezone.localdate()
    rows = list(selectors.exam_results([world.agency.pk], today, today))
    assert [(r["officer__name"], r["passed"]) for r in rows] == [("张执法", False), ("刘同事", True)]
    assert (
        list(selectors.exam_results([world.agency.pk], today - dt.timedelta(days=9), today - dt.timedelta(1)))
        == []
    )
    assert list(selectors.exam_results([world.outsider.agency_id], today, today)) == []


def test_annual_review_takes_hours_and_results_from_the_records(world):
    year = timezone.localdate().year
    plan = services.plan_create(actor=world.legal.user, agency=world.agency, year=year, title="年度培训计划")
    assert plan.sessions_planned == 4  # quarterly by default (LegalSetting)
    session = services.session_record(
        actor=world.legal.user,
        plan=plan,
        title="第一季度培训",
        subject="土地管理法",
        held_on=timezone.localdate(),
        hours="3.5",
    )
    services.attendance_record(
        actor=world.legal.user,
        session=session,
        present_ids=[world.officer.pk],
        absent_ids=[world.colleague.pk],
    )
    with pytest.raises(ValidationFailed):
        services.attendance_record(actor=world.legal.user, session=session, present_ids=[world.outsider.pk])
    exam = _paper(world, "纸质考试")
    services.paper_score_enter(actor=world.head.user, exam=exam, officer_id=world.officer.pk, score=70)
    review = services.annual_review_record(
        actor=world.head.user, officer_id=world.officer.pk, year=year, result="passed"
    )
    assert review.training_hours == 3.5 and review.exams_passed == 1 and review.exams_failed == 0


def test_an_officer_takes_the_exam_in_the_browser_forms(client, world):
    bank(world)
    exam = online_exam(world, count=4)
    client.force_login(world.officer.user)
    page = client.get(reverse("training:index"))
    assert exam.title in page.content.decode()
    response = client.post(reverse("training:exam_start", args=[exam.pk]))
    attempt = selectors.my_attempts(world.officer.user).get()
    assert response.url == reverse("training:attempt", args=[attempt.pk])
    html = client.get(response.url).content.decode()
    assert 'id="exam-timer"' in html
    data = {"action": "submit"}
    for key, value in right_answers(attempt).items():
        data[f"q{key}"] = value if not isinstance(value, bool) else ("true" if value else "false")
    client.post(response.url, data)
    attempt.refresh_from_db()
    assert attempt.status in ("marked", "submitted")
    html = client.get(response.url).content.decode()
    assert "exam-timer" not in html
    if attempt.status == "marked":
        assert f"{attempt.score}" in html
    # A colleague cannot open someone else's attempt.
    client.force_login(world.colleague.user)
    assert client.get(response.url).status_code == 404
