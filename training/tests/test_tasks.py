"""The periodic job closes timed exams left open: scored with the answers saved in time, once."""

from __future__ import annotations

import datetime as dt

import time_machine
from crontask import scheduler

from core.models import LedgerEntry
from training import services
from training.tasks import attempts_close_expired_task
from training.tests.conftest import bank, online_exam, right_answers


def test_the_job_is_scheduled_with_the_other_periodic_jobs():
    assert attempts_close_expired_task.name in {job.name for job in scheduler.get_jobs()}


def test_an_expired_attempt_is_closed_and_scored_by_the_job_and_a_rerun_changes_nothing(world):
    bank(world)
    exam = online_exam(world, count=5, minutes=10)
    attempt = services.attempt_start(actor=world.officer.user, exam=exam)
    # Saved in time: every answer except the short one (so the machine scores the whole attempt).
    short = {str(q.pk) for q in services.attempt_questions(attempt) if q.kind == "short"}
    saved = {k: v for k, v in right_answers(attempt).items() if k not in short}
    services.attempt_save(actor=world.officer.user, attempt=attempt, answers=saved)
    with time_machine.travel(attempt.due_at - dt.timedelta(minutes=2), tick=False):
        later = services.attempt_start(actor=world.colleague.user, exam=exam)  # due 8 minutes later

    with time_machine.travel(attempt.due_at + dt.timedelta(minutes=5), tick=False):
        assert attempts_close_expired_task.call() == {"closed": [attempt.pk]}
        acts = LedgerEntry.objects.filter(act="training.attempt_submitted").count()
        assert attempts_close_expired_task.call() == {"closed": []}  # rerun: nothing more
        assert LedgerEntry.objects.filter(act="training.attempt_submitted").count() == acts == 1

    attempt.refresh_from_db()
    assert attempt.status == "marked" and attempt.auto_submitted and attempt.answers == saved
    assert (attempt.score, attempt.max_score, str(attempt.percent)) == (40, 60, "66.7")
    assert attempt.passed is True
    later.refresh_from_db()
    assert later.status == "in_progress"


def test_an_attempt_still_within_its_time_is_left_open(world):
    bank(world)
    exam = online_exam(world, count=5, minutes=10)
    attempt = services.attempt_start(actor=world.officer.user, exam=exam)
    with time_machine.travel(attempt.due_at - dt.timedelta(minutes=1), tick=False):
        assert attempts_close_expired_task.call() == {"closed": []}
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"
