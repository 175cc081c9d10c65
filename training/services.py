"""Writes on training and exams. Keyword-only, with `actor`; each in one transaction with its ledger
act. An attempt's status changes only through `_move` (ATTEMPT_TRANSITIONS).

The exam clock is the server's: `attempt_start` fixes `due_at`; answers that arrive after
`due_at` + the grace period (LegalSetting `training.submit_grace_seconds`) are refused and the attempt
is closed with what was saved in time (auto-submitted). Questions are drawn per candidate with
`random.Random(seed)` over the exam's pool in id order; the seed is stored, so the draw can be
reproduced. Failing `training.fail_limit` exams in a row (default 2, seed 003: 考试不合格的，重新
考试，仍不合格的，调离执法岗位) suspends the officer's valid certificates through
`org.services.certificates.certificate_suspend`; the next pass reinstates exactly those.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, ValidationFailed
from core.services.ledger import ledger_append
from org import selectors as org_selectors
from org.services import certificates as org_certificates
from training import policies
from training.models import (
    AnnualReview,
    Attempt,
    AttemptStatus,
    Attendance,
    Exam,
    ExamMode,
    Question,
    QuestionKind,
    ReviewResult,
    Suspension,
    TrainingPlan,
    TrainingSession,
)

S = AttemptStatus
ATTEMPT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.IN_PROGRESS: frozenset({S.SUBMITTED, S.MARKED}),
    S.SUBMITTED: frozenset({S.MARKED}),
    S.MARKED: frozenset(),
}

SESSIONS_PER_YEAR = "training.sessions_per_year"
PASS_PERCENT = "training.pass_percent"
FAIL_LIMIT = "training.fail_limit"
GRACE_SECONDS = "training.submit_grace_seconds"
SEED_003 = "seed 003（孟津县）：每季度举办一次培训班，闭卷考试，不合格的重新考试，仍不合格的调离执法岗位"


def setting_int(key: str, default: int) -> int:
    from core.models import LegalSetting

    value = LegalSetting.objects.filter(key=key).values_list("value", flat=True).first()
    try:
        number = int(str(value)) if value is not None else default
    except ValueError:
        return default
    return number if number >= 0 else default


def _record(*, actor: Any, act: str, obj: Any, agency_id: int, payload: dict[str, Any]) -> None:
    ledger_append(actor=actor, act=act, obj=obj, agency_id=agency_id, payload=payload)


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


# --- plans, sessions, attendance -----------------------------------------------------------------


def plan_create(
    *, actor: Any, agency: Any, year: int, title: str, sessions_planned: int | None = None
) -> TrainingPlan:
    """A year's training plan; `sessions_planned` defaults to the configured number (quarterly: 4)."""
    policies.ensure(actor, "manage", agency)
    planned = sessions_planned if sessions_planned is not None else setting_int(SESSIONS_PER_YEAR, 4)
    errors: dict[str, list[str]] = {}
    if not _text(title, 200):
        errors["title"] = [_("Give the plan a title.")]
    if not 2000 <= int(year) <= 2100:
        errors["year"] = [_("Enter a year between 2000 and 2100.")]
    if not 1 <= int(planned) <= 52:
        errors["sessions_planned"] = [_("Plan between 1 and 52 sessions a year.")]
    if errors:
        raise ValidationFailed(_("The plan was not saved: correct the fields listed."), field_errors=errors)
    with transaction.atomic():
        if TrainingPlan.objects.filter(agency_id=agency.pk, year=year).exists():
            raise Conflict(
                _("The agency already has a training plan for %(year)s; add sessions to it.")
                % {"year": year},
                code="training_plan_exists",
            )
        plan = TrainingPlan.objects.create(
            agency_id=agency.pk, year=year, title=_text(title, 200), sessions_planned=planned
        )
        _record(
            actor=actor,
            act="training.plan_created",
            obj=plan,
            agency_id=agency.pk,
            payload={"year": year, "title": plan.title, "sessions_planned": planned},
        )
    return plan


def session_record(
    *,
    actor: Any,
    plan: TrainingPlan,
    title: str,
    subject: str,
    held_on: dt.date,
    hours: Any,
    place: str = "",
) -> TrainingSession:
    policies.ensure(actor, "manage", plan)
    errors: dict[str, list[str]] = {}
    if not _text(title, 200):
        errors["title"] = [_("Give the session a title.")]
    if not _text(subject, 60):
        errors["subject"] = [_("Name the subject (it links the session to the question bank).")]
    if held_on.year != plan.year:
        errors["held_on"] = [
            _("The session must be held in the plan's year (%(year)s).") % {"year": plan.year}
        ]
    try:
        hours_d = Decimal(str(hours))
    except ArithmeticError:
        hours_d = Decimal(-1)
    if not Decimal("0.5") <= hours_d <= Decimal(100):
        errors["hours"] = [_("Enter the hours of the session (0.5 to 100).")]
    if errors:
        raise ValidationFailed(
            _("The session was not saved: correct the fields listed."), field_errors=errors
        )
    with transaction.atomic():
        session = TrainingSession.objects.create(
            plan=plan,
            agency_id=plan.agency_id,
            title=_text(title, 200),
            subject=_text(subject, 60),
            held_on=held_on,
            hours=hours_d,
            place=_text(place, 200),
        )
        _record(
            actor=actor,
            act="training.session_recorded",
            obj=session,
            agency_id=plan.agency_id,
            payload={
                "plan": plan.pk,
                "title": session.title,
                "subject": session.subject,
                "held_on": held_on.isoformat(),
                "hours": str(hours_d),
            },
        )
    return session


def attendance_record(
    *, actor: Any, session: TrainingSession, present_ids: Iterable[int], absent_ids: Iterable[int] = ()
) -> list[Attendance]:
    """Record who attended; a second recording of the same officer changes their row (old/new in the
    ledger)."""
    policies.ensure(actor, "manage", session)
    present_set, absent_set = {int(i) for i in present_ids}, {int(i) for i in absent_ids}
    if present_set & absent_set:
        raise ValidationFailed(
            _("An officer is either present or absent, not both: %(ids)s are listed as both.")
            % {"ids": "、".join(map(str, sorted(present_set & absent_set)))},
            field_errors={"absent": [_("Remove the officers also listed as present.")]},
        )
    wanted = dict.fromkeys(present_set, True) | dict.fromkeys(absent_set, False)
    officers = set(
        org_selectors.visible_officers(None)
        .filter(pk__in=wanted, agency_id=session.agency_id)
        .values_list("pk", flat=True)
    )
    unknown = sorted(set(wanted) - officers)
    if unknown:
        raise ValidationFailed(
            _("Only officers of the agency can be recorded as attending: %(ids)s are not.")
            % {"ids": "、".join(map(str, unknown))},
            field_errors={"officers": [_("Choose officers of the agency.")]},
        )
    rows = []
    with transaction.atomic():
        for officer_id, present in sorted(wanted.items()):
            row = (
                Attendance.objects.select_for_update().filter(session=session, officer_id=officer_id).first()
            )
            old = None if row is None else row.present
            if row is None:
                row = Attendance.objects.create(session=session, officer_id=officer_id, present=present)
            elif row.present != present:
                row.present = present
                row.save(update_fields=["present"])
            rows.append(row)
            if old != present:
                _record(
                    actor=actor,
                    act="training.attendance",
                    obj=session,
                    agency_id=session.agency_id,
                    payload={"officer": officer_id, "old": old, "new": present},
                )
    return rows


# --- question bank -------------------------------------------------------------------------------


def _check_question(kind: str, options: list[Any], answer: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(options) < 2 or any(not str(o).strip() for o in options):
            errors["options"] = [_("A choice question needs at least two non-empty options.")]
        indices = answer if isinstance(answer, list) else None
        if (
            not indices
            or any(not isinstance(i, int) or not 0 <= i < len(options) for i in indices)
            or len(set(indices)) != len(indices)
            or (kind == QuestionKind.SINGLE and len(indices) != 1)
        ):
            errors["answer"] = [
                _(
                    "Give the correct option(s) by their number: one for a single choice, "
                    "one or more for a multiple choice."
                )
            ]
    elif kind == QuestionKind.TRUE_FALSE:
        if not isinstance(answer, bool):
            errors["answer"] = [_("The answer of a true-or-false question is true or false.")]
    elif kind == QuestionKind.SHORT:
        if not str(answer or "").strip():
            errors["answer"] = [_("Give the reference answer the marker compares with.")]
    else:
        errors["kind"] = [_("Choose single choice, multiple choice, true or false, or short answer.")]
    return errors


def question_add(
    *,
    actor: Any,
    agency: Any,
    subject: str,
    kind: str,
    text: str,
    options: list[Any] | None = None,
    answer: Any,
    points: int,
) -> Question:
    policies.ensure(actor, "manage", agency)
    options = [str(o).strip() for o in (options or [])]
    errors = _check_question(kind, options, answer)
    if not _text(subject, 60):
        errors["subject"] = [_("Name the subject.")]
    if not _text(text, 5000):
        errors["text"] = [_("Write the question.")]
    if not isinstance(points, int) or not 1 <= points <= 100:
        errors["points"] = [_("A question is worth 1 to 100 points.")]
    if errors:
        raise ValidationFailed(
            _("The question was not added: correct the fields listed."), field_errors=errors
        )
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = []
    with transaction.atomic():
        question = Question.objects.create(
            agency_id=agency.pk,
            subject=_text(subject, 60),
            kind=kind,
            text=_text(text, 5000),
            options=options,
            answer=answer,
            points=points,
        )
        _record(
            actor=actor,
            act="training.question_added",
            obj=question,
            agency_id=agency.pk,
            payload={"subject": question.subject, "kind": kind, "points": points},
        )
    return question


def question_retire(*, actor: Any, question: Question) -> Question:
    policies.ensure(actor, "manage", question)
    with transaction.atomic():
        if question.active:
            question.active = False
            question.save(update_fields=["active", "updated_at"])
            _record(
                actor=actor,
                act="training.question_retired",
                obj=question,
                agency_id=question.agency_id,
                payload={"old": True, "new": False},
            )
    return question


def _pool(exam: Exam) -> list[int]:
    return list(
        Question.objects.filter(agency_id=exam.agency_id, subject=exam.subject, active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- exams -----------------------------------------------------------------------------------------


def exam_create(
    *,
    actor: Any,
    agency: Any,
    title: str,
    subject: str,
    mode: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    question_count: int = 0,
    duration_minutes: int = 0,
    pass_percent: int | None = None,
    session: TrainingSession | None = None,
) -> Exam:
    """An exam on a subject: online (questions drawn per candidate, timed) or on paper (scores
    entered). The pass mark defaults to the configured percentage (60)."""
    policies.ensure(actor, "manage", agency)
    pass_mark = pass_percent if pass_percent is not None else setting_int(PASS_PERCENT, 60)
    errors: dict[str, list[str]] = {}
    if not _text(title, 200):
        errors["title"] = [_("Give the exam a title.")]
    if not _text(subject, 60):
        errors["subject"] = [_("Name the subject.")]
    if mode not in ExamMode.values:
        errors["mode"] = [_("Choose an online or a paper exam.")]
    if closes_at <= opens_at:
        errors["closes_at"] = [_("The exam must close after it opens.")]
    if not 1 <= pass_mark <= 100:
        errors["pass_percent"] = [_("The pass mark is a percentage from 1 to 100.")]
    if session is not None and session.agency_id != agency.pk:
        errors["session"] = [_("The session belongs to another agency.")]
    if mode == ExamMode.ONLINE:
        if not isinstance(question_count, int) or not 1 <= question_count <= 200:
            errors["question_count"] = [_("An online exam has 1 to 200 questions.")]
        if not isinstance(duration_minutes, int) or not 1 <= duration_minutes <= 600:
            errors["duration_minutes"] = [_("Allow 1 to 600 minutes.")]
    if errors:
        raise ValidationFailed(_("The exam was not created: correct the fields listed."), field_errors=errors)
    with transaction.atomic():
        exam = Exam(
            agency_id=agency.pk,
            session=session,
            title=_text(title, 200),
            subject=_text(subject, 60),
            mode=mode,
            question_count=question_count if mode == ExamMode.ONLINE else 0,
            duration_minutes=duration_minutes if mode == ExamMode.ONLINE else 0,
            pass_percent=pass_mark,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        if mode == ExamMode.ONLINE:
            available = len(_pool(exam))
            if available < question_count:
                raise ValidationFailed(
                    _(
                        "The question bank has %(n)d active questions on “%(subject)s”, fewer than the "
                        "%(count)d asked: add questions or ask fewer."
                    )
                    % {"n": available, "subject": exam.subject, "count": question_count},
                    field_errors={"question_count": [_("Not enough questions in the bank.")]},
                )
        exam.save()
        _record(
            actor=actor,
            act="training.exam_created",
            obj=exam,
            agency_id=agency.pk,
            payload={
                "title": exam.title,
                "subject": exam.subject,
                "mode": mode,
                "question_count": exam.question_count,
                "duration_minutes": exam.duration_minutes,
                "pass_percent": pass_mark,
                "opens_at": opens_at.isoformat(),
                "closes_at": closes_at.isoformat(),
            },
        )
    return exam


def _move(attempt: Attempt, *, to: str, actor: Any, act: str, payload: dict[str, Any]) -> None:
    """The only code that changes an attempt's status."""
    if to not in ATTEMPT_TRANSITIONS[attempt.status]:
        raise Conflict(
            _("An attempt that is %(from)s cannot become %(to)s.")
            % {"from": S(attempt.status).label, "to": S(to).label},
            code="attempt_transition_refused",
        )
    old = attempt.status
    attempt.status = to
    attempt.save()
    _record(
        actor=actor,
        act=act,
        obj=attempt,
        agency_id=attempt.agency_id,
        payload={"from": old, "to": to, **payload},
    )


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().get(pk=attempt.pk)


def _sync(attempt: Attempt, locked: Attempt) -> None:
    for field in Attempt._meta.concrete_fields:
        setattr(attempt, field.attname, getattr(locked, field.attname))


def attempt_start(*, actor: Any, exam: Exam) -> Attempt:
    """Start (or resume) the actor's online attempt: draws the questions with a fresh recorded seed
    and fixes the due time on the server's clock."""
    policies.ensure(actor, "take", exam)
    officer = org_selectors.officer_for(actor)
    if officer is None:
        raise DomainError(_("Only officers take exams."), code="not_an_officer")
    now = timezone.now()
    if exam.mode != ExamMode.ONLINE:
        raise DomainError(
            _("This is a paper exam: its scores are entered by the organisers."), code="exam_on_paper"
        )
    existing = Attempt.objects.filter(exam=exam, officer_id=officer.pk).first()
    if existing is not None:
        return _close_if_expired(existing) if existing.status == S.IN_PROGRESS else existing
    if not exam.opens_at <= now < exam.closes_at:
        raise DomainError(
            _("The exam is open from %(opens)s to %(closes)s; it cannot be started now.")
            % {
                "opens": timezone.localtime(exam.opens_at).strftime("%Y-%m-%d %H:%M"),
                "closes": timezone.localtime(exam.closes_at).strftime("%Y-%m-%d %H:%M"),
            },
            code="exam_not_open",
        )
    pool = _pool(exam)
    if len(pool) < exam.question_count:
        raise DomainError(
            _("The question bank no longer has enough questions for this exam; tell the organisers."),
            code="exam_pool_short",
        )
    seed = secrets.randbits(62)
    drawn = random.Random(seed).sample(pool, exam.question_count)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                exam=exam,
                officer_id=officer.pk,
                agency_id=exam.agency_id,
                seed=seed,
                question_ids=drawn,
                started_at=now,
                due_at=now + dt.timedelta(minutes=exam.duration_minutes),
            )
            _record(
                actor=actor,
                act="training.attempt_started",
                obj=attempt,
                agency_id=exam.agency_id,
                payload={
                    "exam": exam.pk,
                    "seed": seed,
                    "questions": drawn,
                    "due_at": attempt.due_at.isoformat() if attempt.due_at else None,
                },
            )
    except IntegrityError:  # two tabs started at once: the other one won
        return Attempt.objects.get(exam=exam, officer_id=officer.pk)
    return attempt


def attempt_questions(attempt: Attempt) -> list[Question]:
    """The attempt's questions in the order drawn."""
    by_id = Question.objects.in_bulk(attempt.question_ids)
    return [by_id[i] for i in attempt.question_ids if i in by_id]


def _normalise(question: Question, raw: Any) -> Any:
    """The stored form of an answer, or None when there is none."""
    if raw is None or raw == "" or raw == []:
        return None
    if question.kind == QuestionKind.SHORT:
        return str(raw).strip()[:5000] or None
    if question.kind == QuestionKind.TRUE_FALSE:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        return (
            True
            if text in {"true", "1", "yes", "对"}
            else False
            if text in {"false", "0", "no", "错"}
            else None
        )
    values = raw if isinstance(raw, list) else [raw]
    try:
        indices = sorted({int(v) for v in values})
    except (TypeError, ValueError):
        return None
    indices = [i for i in indices if 0 <= i < len(question.options)]
    if question.kind == QuestionKind.SINGLE:
        return indices[:1] or None
    return indices or None


def _clean_answers(attempt: Attempt, answers: Mapping[str, Any]) -> dict[str, Any]:
    questions = {str(q.pk): q for q in attempt_questions(attempt)}
    cleaned = {}
    for key, raw in answers.items():
        question = questions.get(str(key))
        if question is None:
            continue
        value = _normalise(question, raw)
        if value is not None:
            cleaned[str(question.pk)] = value
    return cleaned


def _late(attempt: Attempt, now: dt.datetime) -> bool:
    grace = dt.timedelta(seconds=setting_int(GRACE_SECONDS, 30))
    return attempt.due_at is not None and now > attempt.due_at + grace


def attempt_save(*, actor: Any, attempt: Attempt, answers: Mapping[str, Any]) -> Attempt:
    """Save answers so far (the page does it as the candidate goes); refused after the time."""
    policies.ensure(actor, "view_attempt", attempt)
    _ensure_candidate(actor, attempt)
    with transaction.atomic():
        locked = _locked(attempt)
        if locked.status != S.IN_PROGRESS:
            raise Conflict(
                _("The exam has been handed in; answers can no longer be changed."), code="attempt_closed"
            )
        if _late(locked, timezone.now()):
            raise Conflict(
                _("The time allowed is over; the answers saved before the end are marked."),
                code="attempt_time_over",
            )
        new = {**locked.answers, **_clean_answers(locked, answers)}
        for key, raw in answers.items():  # an answer cleared by the candidate
            if str(key) in new and _clean_answers(locked, {key: raw}) == {}:
                new.pop(str(key))
        locked.answers = new
        locked.save(update_fields=["answers", "updated_at"])
        _record(
            actor=actor,
            act="training.attempt_saved",
            obj=locked,
            agency_id=locked.agency_id,
            payload={"answered": sorted(new)},
        )
    _sync(attempt, locked)
    return attempt


def _ensure_candidate(actor: Any, attempt: Attempt) -> None:
    officer = org_selectors.officer_for(actor)
    if actor is not None and (officer is None or officer.pk != attempt.officer_id):
        raise DomainError(_("Only the candidate answers their own exam."), code="not_the_candidate")


def _score(attempt: Attempt) -> None:
    """Points per question where the machine can tell; short answers wait for a marker (None)."""
    marks: dict[str, Any] = dict(attempt.marks)
    for question in attempt_questions(attempt):
        key = str(question.pk)
        given = attempt.answers.get(key)
        if question.kind == QuestionKind.SHORT:
            if given is None:
                marks[key] = 0
            else:
                marks.setdefault(key, None)
            continue
        if question.kind == QuestionKind.TRUE_FALSE:
            right = given is not None and given == question.answer
        else:
            right = given is not None and sorted(given) == sorted(question.answer)
        marks[key] = question.points if right else 0
    attempt.marks = marks


def _total(attempt: Attempt) -> None:
    questions = attempt_questions(attempt)
    max_score = Decimal(sum(q.points for q in questions))
    score = Decimal(sum(Decimal(str(attempt.marks.get(str(q.pk)) or 0)) for q in questions))
    attempt.score, attempt.max_score = score, max_score
    percent = (score * 100 / max_score) if max_score else Decimal(0)
    attempt.percent = percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    attempt.passed = attempt.percent >= attempt.exam.pass_percent


def _finish(locked: Attempt, *, actor: Any, auto: bool) -> None:
    now = timezone.now()
    locked.submitted_at = now
    locked.auto_submitted = auto
    _score(locked)
    waiting = [k for k, v in locked.marks.items() if v is None]
    payload = {"answered": sorted(locked.answers), "auto_submitted": auto}
    if waiting:
        _move(
            locked,
            to=S.SUBMITTED,
            actor=actor,
            act="training.attempt_submitted",
            payload={**payload, "awaiting_marking": waiting},
        )
        return
    locked.marked_at = now
    _total(locked)
    _move(
        locked,
        to=S.MARKED,
        actor=actor,
        act="training.attempt_submitted",
        payload={
            **payload,
            "score": str(locked.score),
            "percent": str(locked.percent),
            "passed": locked.passed,
        },
    )
    _after_result(locked)


def attempt_submit(*, actor: Any, attempt: Attempt, answers: Mapping[str, Any] | None = None) -> Attempt:
    """Hand the exam in. In time: the posted answers are saved and marked. Too late: the posted
    answers are refused and the attempt is closed with what was saved in time (`auto_submitted`)."""
    policies.ensure(actor, "view_attempt", attempt)
    _ensure_candidate(actor, attempt)
    with transaction.atomic():
        locked = _locked(attempt)
        if locked.status != S.IN_PROGRESS:
            _sync(attempt, locked)
            return attempt
        late = _late(locked, timezone.now())
        if not late and answers:
            locked.answers = {**locked.answers, **_clean_answers(locked, answers)}
        _finish(locked, actor=actor, auto=late)
    _sync(attempt, locked)
    return attempt


def _close_if_expired(attempt: Attempt) -> Attempt:
    with transaction.atomic():
        locked = _locked(attempt)
        if locked.status == S.IN_PROGRESS and _late(locked, timezone.now()):
            _finish(locked, actor=None, auto=True)
    _sync(attempt, locked)
    return attempt


def attempts_close_expired(*, attempt_ids: Iterable[int] | None = None) -> list[Attempt]:
    """Close every online attempt whose time (plus grace) is over, with the answers saved in time.
    Idempotent: a periodic job, and run when a candidate reopens an expired attempt."""
    grace = dt.timedelta(seconds=setting_int(GRACE_SECONDS, 30))
    qs = Attempt.objects.filter(status=S.IN_PROGRESS, due_at__lt=timezone.now() - grace)
    if attempt_ids is not None:
        qs = qs.filter(pk__in=list(attempt_ids))
    return [_close_if_expired(a) for a in qs.order_by("pk")]


def attempt_mark(*, actor: Any, attempt: Attempt, marks: Mapping[str, Any]) -> Attempt:
    """A marker scores the short answers (0 to the question's points each)."""
    policies.ensure(actor, "mark", attempt)
    with transaction.atomic():
        locked = _locked(attempt)
        if locked.status != S.SUBMITTED:
            raise Conflict(
                _("Only a handed-in attempt awaiting marking can be marked."),
                code="attempt_not_awaiting_marking",
            )
        questions = {str(q.pk): q for q in attempt_questions(locked) if q.kind == QuestionKind.SHORT}
        errors: dict[str, list[str]] = {}
        new = dict(locked.marks)
        for key, question in questions.items():
            if locked.marks.get(key) is not None:
                continue
            raw = marks.get(key)
            try:
                points = Decimal(str(raw))
            except ArithmeticError:
                points = Decimal(-1)
            if raw in (None, "") or not Decimal(0) <= points <= question.points:
                errors[f"q{key}"] = [_("Give 0 to %(max)d points.") % {"max": question.points}]
            else:
                new[key] = str(points)
        if errors:
            raise ValidationFailed(
                _("The marks were not saved: every short answer needs its points."), field_errors=errors
            )
        locked.marks = new
        locked.marked_at = timezone.now()
        locked.marked_by = actor if getattr(actor, "pk", None) else None
        _total(locked)
        _move(
            locked,
            to=S.MARKED,
            actor=actor,
            act="training.attempt_marked",
            payload={
                "marks": {k: new[k] for k in questions},
                "score": str(locked.score),
                "percent": str(locked.percent),
                "passed": locked.passed,
            },
        )
        _after_result(locked)
    _sync(attempt, locked)
    return attempt


def paper_score_enter(
    *, actor: Any, exam: Exam, officer_id: int, score: Any, max_score: Any = 100
) -> Attempt:
    """Enter a paper exam's score for one candidate."""
    policies.ensure(actor, "manage", exam)
    errors: dict[str, list[str]] = {}
    if exam.mode != ExamMode.PAPER:
        raise DomainError(
            _("Scores are entered for paper exams; online exams are marked on the platform."),
            code="exam_online",
        )
    try:
        score_d, max_d = Decimal(str(score)), Decimal(str(max_score))
    except ArithmeticError:
        score_d, max_d = Decimal(-1), Decimal(0)
    if max_d <= 0 or not Decimal(0) <= score_d <= max_d:
        errors["score"] = [_("Enter a score between 0 and the maximum.")]
    officer = org_selectors.visible_officers(None).filter(pk=officer_id, agency_id=exam.agency_id).first()
    if officer is None:
        errors["officer"] = [_("Choose an officer of the agency.")]
    if errors:
        raise ValidationFailed(
            _("The score was not entered: correct the fields listed."), field_errors=errors
        )
    with transaction.atomic():
        if Attempt.objects.filter(exam=exam, officer_id=officer_id).exists():
            raise Conflict(
                _(
                    "A score is already recorded for this candidate in this exam; a retake is a "
                    "new exam (补考)."
                ),
                code="attempt_exists",
            )
        now = timezone.now()
        attempt = Attempt.objects.create(
            exam=exam,
            officer_id=officer_id,
            agency_id=exam.agency_id,
            submitted_at=now,
            marked_at=now,
            marked_by=actor if getattr(actor, "pk", None) else None,
        )
        attempt.score, attempt.max_score = score_d, max_d
        attempt.percent = (score_d * 100 / max_d).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        attempt.passed = attempt.percent >= exam.pass_percent
        _move(
            attempt,
            to=S.MARKED,
            actor=actor,
            act="training.paper_score_entered",
            payload={
                "officer": officer_id,
                "score": str(score_d),
                "max_score": str(max_d),
                "percent": str(attempt.percent),
                "passed": attempt.passed,
            },
        )
        _after_result(attempt)
    return attempt


# --- consequences ----------------------------------------------------------------------------------


def consecutive_failures(officer_id: int) -> int:
    """Marked exams failed in a row since the officer's last pass."""
    count = 0
    for passed in (
        Attempt.objects.filter(officer_id=officer_id, status=S.MARKED)
        .order_by("-marked_at", "-pk")
        .values_list("passed", flat=True)
    ):
        if passed:
            break
        count += 1
    return count


def _after_result(attempt: Attempt) -> None:
    """Failing `fail_limit` exams in a row suspends the officer's valid certificates; a pass lifts the
    suspensions training made (org's certificate services, acting as the system)."""
    if attempt.passed:
        for row in Suspension.objects.select_for_update().filter(
            officer_id=attempt.officer_id, lifted_at__isnull=True
        ):
            cert = org_selectors.visible_certificates(None).filter(pk=row.certificate_id).first()
            if cert is not None and cert.status == "suspended":
                org_certificates.certificate_reinstate(
                    actor=None,
                    certificate=cert,
                    reason=_("Passed the exam “%(exam)s” (%(percent)s%%) after failing twice.")
                    % {"exam": attempt.exam.title, "percent": attempt.percent},
                )
            row.lifted_at, row.lifted_by_attempt = timezone.now(), attempt
            row.save(update_fields=["lifted_at", "lifted_by_attempt"])
        return
    limit = setting_int(FAIL_LIMIT, 2)
    if limit < 1 or consecutive_failures(attempt.officer_id) < limit:
        return
    reason = _(
        "Failed %(n)d exams in a row, the last “%(exam)s” (%(percent)s%%): taken off enforcement duty "
        "until an exam is passed (%(basis)s)."
    ) % {"n": limit, "exam": attempt.exam.title, "percent": attempt.percent, "basis": SEED_003}
    for cert in org_selectors.visible_certificates(None).filter(
        officer_id=attempt.officer_id, status="valid"
    ):
        org_certificates.certificate_suspend(actor=None, certificate=cert, reason=reason)
        Suspension.objects.create(
            officer_id=attempt.officer_id,
            certificate_id=cert.pk,
            attempt=attempt,
            suspended_at=timezone.now(),
        )


# --- annual review -------------------------------------------------------------------------------


def annual_review_record(
    *, actor: Any, officer_id: int, year: int, result: str, note: str = ""
) -> AnnualReview:
    """年审: the year's training hours and exam results are taken from the records, the result is the
    organiser's."""
    officer = org_selectors.visible_officers(None).filter(pk=officer_id).first()
    if officer is None:
        raise ValidationFailed(_("Choose an officer."), field_errors={"officer": [_("Unknown officer.")]})
    policies.ensure(actor, "manage", officer)
    if result not in ReviewResult.values:
        raise ValidationFailed(
            _("Choose passed or failed."), field_errors={"result": [_("Choose a result.")]}
        )
    hours = sum(
        (
            a.session.hours
            for a in Attendance.objects.select_related("session").filter(
                officer_id=officer_id, present=True, session__held_on__year=year
            )
        ),
        Decimal(0),
    )
    marked = Attempt.objects.filter(officer_id=officer_id, status=S.MARKED, marked_at__year=year)
    passed = marked.filter(passed=True).count()
    failed = marked.filter(passed=False).count()
    with transaction.atomic():
        if AnnualReview.objects.filter(officer_id=officer_id, year=year).exists():
            raise Conflict(
                _("The %(year)s review of this officer is already recorded.") % {"year": year},
                code="review_exists",
            )
        review = AnnualReview.objects.create(
            officer_id=officer_id,
            agency_id=officer.agency_id,
            year=year,
            training_hours=hours,
            exams_passed=passed,
            exams_failed=failed,
            result=result,
            note=_text(note, 500),
            reviewed_by=actor if getattr(actor, "pk", None) else None,
        )
        _record(
            actor=actor,
            act="training.annual_review",
            obj=review,
            agency_id=officer.agency_id,
            payload={
                "officer": officer_id,
                "year": year,
                "training_hours": str(hours),
                "exams_passed": passed,
                "exams_failed": failed,
                "result": result,
            },
        )
    return review
