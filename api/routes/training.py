"""Training and exams (issue 9 §5): an officer's open exams, taking one on the server's clock, results;
and the organisers' acts — yearly plans, sessions and attendance, the question bank, exams, paper-exam
scores, marking short answers, the annual certificate review (年审).

The questions of an attempt are given without their answers; answers are sent as
`{question_id: answer}` (single: [index], multiple: [indices], true_false: true/false, short: text).

Writes answer refusals as the Action API does: 409 when a rule refuses (with every violation and its
basis), 422 when the body is invalid (with Chinese field errors); 403 and 404 keep the usual body.
Every rule (who organises, who marks, the exam clock) lives in `training.services` and
`training.policies`.
"""

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import ValidationError as PydanticValidationError
from pydantic import field_validator

from api.auth import caller
from api.errors import field_errors_from, input_violations, request_body_doc, with_errors
from api.pagination import paginated
from api.routes.fields import IsoDate, Text
from core.errors import DomainError, ValidationFailed
from training import policies, selectors, services

router = Router(tags=["training"])

ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]
KindName = Literal["single", "multiple", "true_false", "short"]


# --- the refusal contract ------------------------------------------------------------------------


class ViolationOut(Schema):
    code: str
    message: str
    basis: str


class RefusalOut(Schema):
    """A refused act: 409 (a rule) or 422 (an invalid body)."""

    code: str
    message: str
    violations: list[ViolationOut] = Field(default_factory=list)
    field_errors: dict[str, list[str]] | None = None
    basis: str | None = None


def _responses(ok: Any, status: int = 200) -> dict[int, Any]:
    responses = with_errors(ok, status)
    responses.update({409: RefusalOut, 422: RefusalOut})
    return responses


def _refused(exc: DomainError) -> JsonResponse:
    """409 for a rule (with the violation and its basis), 422 for invalid values (with field errors);
    403 and 404 are re-raised for the API's usual body (a denial is already in the ledger)."""
    if exc.status in (403, 404):
        raise exc
    body: dict[str, Any] = {"code": exc.code, "message": exc.message}
    if isinstance(exc, ValidationFailed):
        status = 422
        body["violations"] = input_violations(exc)
    else:
        status = 409
        body["violations"] = [{"code": exc.code, "message": exc.message, "basis": exc.basis}]
    if exc.field_errors:
        body["field_errors"] = exc.field_errors
    if exc.basis:
        body["basis"] = exc.basis
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _parsed(request: HttpRequest, model: Any) -> Any:
    """The JSON body validated against `model`; ValidationFailed (answered 422) otherwise."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(
            _("The request body is not valid JSON; send a JSON object encoded in UTF-8."),
            code="malformed_json",
        ) from None
    if not isinstance(data, dict):
        raise ValidationFailed(
            _("Send a JSON object."), field_errors={"__all__": [_("Enter a JSON object.")]}
        )
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationFailed(
            _("Some values are missing or invalid; correct the fields listed and send the request again."),
            field_errors=field_errors_from(
                [{**e, "loc": ("body", "payload", *e.get("loc", ()))} for e in exc.errors()]
            ),
        ) from None


def _act(request: HttpRequest, model: Any, act: Callable[[Any, Any], tuple[int, Any]]) -> Any:
    """Validate the body (if any), run one service call; refusals as 409/422."""
    actor = caller(request)
    try:
        payload = _parsed(request, model) if model is not None else None
        status, body = act(actor, payload)
    except DomainError as exc:
        return _refused(exc)
    return Status(status, body)


class ExamOut(Schema):
    id: int
    title: str
    subject: str
    question_count: int
    duration_minutes: int
    pass_percent: int
    closes_at: dt.datetime


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    options: list[str]
    points: int


class AttemptOut(Schema):
    id: int
    exam_id: int
    status: str
    seed: int | None
    due_at: dt.datetime | None
    questions: list[QuestionOut]
    answers: dict[str, Any]
    score: str | None
    max_score: str | None
    percent: str | None
    passed: bool | None
    auto_submitted: bool


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(default_factory=dict, description="question id → answer")


class ResultsQuery(Schema):
    start: dt.date
    end: dt.date


class ResultOut(Schema):
    attempt_id: int
    agency_id: int
    officer_id: int
    officer: str
    exam_id: int
    exam: str
    status: str = "marked"
    score: str | None
    percent: str | None
    passed: bool | None
    marked_at: dt.datetime | None


def _out(attempt: Any) -> dict[str, Any]:
    def s(v: Any) -> str | None:
        return None if v is None else str(v)

    return {
        "id": attempt.pk,
        "exam_id": attempt.exam_id,
        "status": attempt.status,
        "seed": attempt.seed,
        "due_at": attempt.due_at,
        "answers": attempt.answers,
        "auto_submitted": attempt.auto_submitted,
        "questions": [
            {"id": q.pk, "kind": q.kind, "text": q.text, "options": q.options, "points": q.points}
            for q in services.attempt_questions(attempt)
        ],
        "score": s(attempt.score),
        "max_score": s(attempt.max_score),
        "percent": s(attempt.percent),
        "passed": attempt.passed,
    }


def _attempt(request: HttpRequest, attempt_id: int) -> Any:
    return selectors.attempt_or_404(attempt_id=attempt_id, actor=caller(request))


@router.get("/training/exams", response=with_errors(list[ExamOut]), summary="Online exams open to me now")
def open_exams(request: HttpRequest) -> Any:
    return list(selectors.open_exams_for(caller(request)))


@router.post(
    "/training/exams/{exam_id}/start",
    response=_responses(AttemptOut),
    summary="Start (or resume) my attempt: questions drawn with a recorded seed, server-side clock",
)
def start(request: HttpRequest, exam_id: int = ID) -> Any:
    exam = selectors.exam_or_404(exam_id=exam_id, actor=caller(request))
    return _act(request, None, lambda a, _p: (200, _out(services.attempt_start(actor=a, exam=exam))))


@router.get("/training/attempts/{attempt_id}", response=with_errors(AttemptOut), summary="An attempt")
def attempt(request: HttpRequest, attempt_id: int = ID) -> Any:
    return _out(_attempt(request, attempt_id))


@router.post(
    "/training/attempts/{attempt_id}/save",
    response=_responses(AttemptOut),
    summary="Save answers so far (refused after the time: 409 attempt_time_over)",
    openapi_extra=request_body_doc(AnswersIn),
)
def save(request: HttpRequest, attempt_id: int = ID) -> Any:
    attempt = _attempt(request, attempt_id)
    return _act(
        request,
        AnswersIn,
        lambda a, p: (200, _out(services.attempt_save(actor=a, attempt=attempt, answers=p.answers))),
    )


@router.post(
    "/training/attempts/{attempt_id}/submit",
    response=_responses(AttemptOut),
    summary="Hand in; answers arriving after the time are refused and the saved ones count",
    openapi_extra=request_body_doc(AnswersIn),
)
def submit(request: HttpRequest, attempt_id: int = ID) -> Any:
    attempt = _attempt(request, attempt_id)
    return _act(
        request,
        AnswersIn,
        lambda a, p: (200, _out(services.attempt_submit(actor=a, attempt=attempt, answers=p.answers))),
    )


def _result(attempt: Any) -> dict[str, Any]:
    def s(v: Any) -> str | None:
        return None if v is None else str(v)

    return {
        "attempt_id": attempt.pk,
        "agency_id": attempt.agency_id,
        "officer_id": attempt.officer_id,
        "officer": attempt.officer.name,
        "exam_id": attempt.exam_id,
        "exam": attempt.exam.title,
        "status": attempt.status,
        "score": s(attempt.score),
        "percent": s(attempt.percent),
        "passed": attempt.passed,
        "marked_at": attempt.marked_at,
    }


@router.get(
    "/training/results",
    response=with_errors(list[ResultOut]),
    summary="Marked exam results of the agencies I read, between two dates",
)
def results(request: HttpRequest, q: Query[ResultsQuery]) -> Any:
    return [
        {
            "attempt_id": r["pk"],
            "agency_id": r["agency_id"],
            "officer_id": r["officer_id"],
            "officer": r["officer__name"],
            "exam_id": r["exam_id"],
            "exam": r["exam__title"],
            "score": None if r["score"] is None else str(r["score"]),
            "percent": None if r["percent"] is None else str(r["percent"]),
            "passed": r["passed"],
            "marked_at": r["marked_at"],
        }
        for r in selectors.results_for(caller(request), q.start, q.end)[:1000]
    ]


# --- the organisers: plans, sessions, attendance -------------------------------------------------


class PlanIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    title: Text = Field(..., min_length=1, max_length=200)
    sessions_planned: int | None = Field(
        None, ge=1, le=52, description="default: the configured number a year (quarterly: 4)"
    )


class PlanOut(Schema):
    id: int
    agency_id: int
    year: int
    title: str
    sessions_planned: int
    sessions_held: int


class SessionIn(Schema):
    title: Text = Field(..., min_length=1, max_length=200)
    subject: Text = Field(..., min_length=1, max_length=60, description="links it to the question bank")
    held_on: IsoDate
    hours: Decimal = Field(..., ge=Decimal("0.5"), le=Decimal(100), decimal_places=1)
    place: Text = Field("", max_length=200)


class SessionOut(Schema):
    id: int
    plan_id: int
    agency_id: int
    title: str
    subject: str
    held_on: dt.date
    hours: str
    place: str
    present: list[int] = Field(..., description="officer ids recorded present")
    absent: list[int] = Field(..., description="officer ids recorded absent")


OfficerId = Annotated[int, Field(ge=1, le=2**62)]


class AttendanceIn(Schema):
    present: list[OfficerId] = Field(default_factory=list, max_length=2000, description="officer ids present")
    absent: list[OfficerId] = Field(default_factory=list, max_length=2000, description="officer ids absent")


def _plan(plan: Any) -> dict[str, Any]:
    held = getattr(plan, "sessions_held", None)
    return {
        "id": plan.pk,
        "agency_id": plan.agency_id,
        "year": plan.year,
        "title": plan.title,
        "sessions_planned": plan.sessions_planned,
        "sessions_held": plan.sessions.count() if held is None else held,
    }


def _session(session: Any) -> dict[str, Any]:
    return {
        "id": session.pk,
        "plan_id": session.plan_id,
        "agency_id": session.agency_id,
        "title": session.title,
        "subject": session.subject,
        "held_on": session.held_on,
        "hours": str(session.hours),
        "place": session.place,
        **selectors.attendance_of(session),
    }


@router.get("/training/plans", response=with_errors(list[PlanOut]), summary="Training plans I may read")
def plans(request: HttpRequest) -> Any:
    return [_plan(p) for p in selectors.plans_for(caller(request))[:200]]


@router.post(
    "/training/plans",
    response=_responses(PlanOut, 201),
    summary="Plan a year's training (organisers: heads and legal department)",
    openapi_extra=request_body_doc(PlanIn),
)
def plan_create(request: HttpRequest) -> Any:
    def act(a: Any, p: PlanIn) -> tuple[int, Any]:
        plan = services.plan_create(
            actor=a,
            agency=selectors.agency_of(a),
            year=p.year,
            title=p.title,
            sessions_planned=p.sessions_planned,
        )
        return 201, _plan(plan)

    return _act(request, PlanIn, act)


@router.get(
    "/training/sessions",
    response=with_errors(list[SessionOut]),
    summary="Training sessions with their attendance",
)
@paginated
def sessions(request: HttpRequest) -> Any:
    return _Mapped(selectors.sessions_for(caller(request)).prefetch_related("attendance"), _session)


@router.post(
    "/training/plans/{plan_id}/sessions",
    response=_responses(SessionOut, 201),
    summary="Record a session held under the plan",
    openapi_extra=request_body_doc(SessionIn),
)
def session_record(request: HttpRequest, plan_id: int = ID) -> Any:
    plan = selectors.plan_or_404(plan_id=plan_id, actor=caller(request))

    def act(a: Any, p: SessionIn) -> tuple[int, Any]:
        session = services.session_record(
            actor=a,
            plan=plan,
            title=p.title,
            subject=p.subject,
            held_on=p.held_on,
            hours=p.hours,
            place=p.place,
        )
        return 201, _session(session)

    return _act(request, SessionIn, act)


@router.post(
    "/training/sessions/{session_id}/attendance",
    response=_responses(SessionOut),
    summary="Record who attended (a second recording of an officer changes their row)",
    openapi_extra=request_body_doc(AttendanceIn),
)
def attendance(request: HttpRequest, session_id: int = ID) -> Any:
    session = selectors.session_or_404(session_id=session_id, actor=caller(request))

    def act(a: Any, p: AttendanceIn) -> tuple[int, Any]:
        services.attendance_record(actor=a, session=session, present_ids=p.present, absent_ids=p.absent)
        return 200, _session(session)

    return _act(request, AttendanceIn, act)


class _Mapped:
    """A queryset whose rows are turned into dicts as a page is sliced (for `paginated`)."""

    def __init__(self, qs: Any, fn: Callable[[Any], dict[str, Any]]) -> None:
        self.qs, self.fn = qs, fn

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.fn(row) for row in self.qs[index]]

    def all(self) -> "_Mapped":
        return self

    def count(self) -> int:
        return int(self.qs.count())


# --- the question bank ---------------------------------------------------------------------------


class QuestionIn(Schema):
    subject: Text = Field(..., min_length=1, max_length=60)
    kind: KindName = Field(..., description="single, multiple, true_false or short")
    text: Text = Field(..., min_length=1, max_length=5000)
    options: list[Text] = Field(default_factory=list, max_length=20, description="choice questions only")
    answer: Any = Field(
        ...,
        description=(
            "single: [index]; multiple: [indices]; true_false: true/false; short: the reference answer "
            "the marker compares with"
        ),
    )
    points: int = Field(..., ge=1, le=100)


class BankQuestionOut(Schema):
    """A question of the bank with its answer: organisers only."""

    id: int
    subject: str
    kind: str
    text: str
    options: list[str]
    answer: Any
    points: int
    active: bool


class BankQuery(Schema):
    subject: Text = Field("", max_length=60)
    q: Text = Field("", max_length=100)


def _question(q: Any) -> dict[str, Any]:
    return {
        "id": q.pk,
        "subject": q.subject,
        "kind": q.kind,
        "text": q.text,
        "options": q.options,
        "answer": q.answer,
        "points": q.points,
        "active": q.active,
    }


def _organiser(request: HttpRequest) -> Any:
    """The caller's agency, once the policy lets them organise its training (a refusal is recorded)."""
    actor = caller(request)
    agency = selectors.agency_of(actor)
    policies.ensure(actor, "manage", agency)
    return agency


@router.get(
    "/training/questions",
    response=with_errors(list[BankQuestionOut]),
    summary="The active questions of the bank, with their answers (organisers only)",
)
@paginated
def questions(request: HttpRequest, filters: Query[BankQuery]) -> Any:
    _organiser(request)
    return _Mapped(selectors.questions_for(caller(request), subject=filters.subject, q=filters.q), _question)


@router.post(
    "/training/questions",
    response=_responses(BankQuestionOut, 201),
    summary="Add a question to the bank (never edited afterwards: retire it and add another)",
    openapi_extra=request_body_doc(QuestionIn),
)
def question_add(request: HttpRequest) -> Any:
    def act(a: Any, p: QuestionIn) -> tuple[int, Any]:
        question = services.question_add(
            actor=a,
            agency=selectors.agency_of(a),
            subject=p.subject,
            kind=p.kind,
            text=p.text,
            options=list(p.options),
            answer=p.answer,
            points=p.points,
        )
        return 201, _question(question)

    return _act(request, QuestionIn, act)


@router.post(
    "/training/questions/{question_id}/retire",
    response=_responses(BankQuestionOut),
    summary="Retire a question: no longer drawn, kept for the attempts that used it",
)
def question_retire(request: HttpRequest, question_id: int = ID) -> Any:
    question = selectors.question_or_404(question_id=question_id, actor=caller(request))
    return _act(
        request, None, lambda a, _p: (200, _question(services.question_retire(actor=a, question=question)))
    )


# --- exams, paper scores, marking ----------------------------------------------------------------


class ExamIn(Schema):
    title: Text = Field(..., min_length=1, max_length=200)
    subject: Text = Field(..., min_length=1, max_length=60)
    mode: Literal["online", "paper"]
    opens_at: dt.datetime
    closes_at: dt.datetime
    question_count: int = Field(0, ge=0, le=200, description="online: questions drawn per candidate")
    duration_minutes: int = Field(0, ge=0, le=600, description="online: time allowed")
    pass_percent: int | None = Field(None, ge=1, le=100, description="default: the configured pass mark")
    session_id: int | None = Field(None, ge=1, le=2**62, description="the session the exam closes")

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        """A time without offset is read in the agency's time zone (Asia/Shanghai)."""
        return timezone.make_aware(value) if timezone.is_naive(value) else value


class ExamDetailOut(Schema):
    id: int
    agency_id: int
    session_id: int | None
    title: str
    subject: str
    mode: str
    question_count: int
    duration_minutes: int
    pass_percent: int
    opens_at: dt.datetime
    closes_at: dt.datetime


class PaperScoreIn(Schema):
    officer_id: int = Field(..., ge=1, le=2**62)
    score: Decimal = Field(..., ge=0, le=10000, decimal_places=1)
    max_score: Decimal = Field(Decimal(100), gt=0, le=10000, decimal_places=1)


class MarksIn(Schema):
    marks: dict[str, Decimal] = Field(
        ..., description="question id → points given to each short answer (0 to the question's points)"
    )


class ReviewIn(Schema):
    officer_id: int = Field(..., ge=1, le=2**62)
    year: int = Field(..., ge=2000, le=2100)
    result: Literal["passed", "failed"]
    note: Text = Field("", max_length=500)


class ReviewOut(Schema):
    id: int
    officer_id: int
    officer: str
    agency_id: int
    year: int
    training_hours: str = Field(..., description="hours attended in the year, from the attendance")
    exams_passed: int
    exams_failed: int
    result: str
    note: str


class AttemptsQuery(Schema):
    status: Literal["", "in_progress", "submitted", "marked"] = ""
    exam_id: int | None = Field(None, ge=1, le=2**62)


def _review(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "officer_id": r.officer_id,
        "officer": r.officer.name,
        "agency_id": r.agency_id,
        "year": r.year,
        "training_hours": str(r.training_hours),
        "exams_passed": r.exams_passed,
        "exams_failed": r.exams_failed,
        "result": r.result,
        "note": r.note,
    }


@router.get(
    "/training/agency-exams",
    response=with_errors(list[ExamDetailOut]),
    summary="Every exam (online and paper) of the agencies I read",
)
@paginated
def agency_exams(request: HttpRequest) -> Any:
    return selectors.exams_for(caller(request))


@router.post(
    "/training/exams",
    response=_responses(ExamDetailOut, 201),
    summary="Set an exam: online (drawn per candidate, timed) or on paper (scores entered)",
    openapi_extra=request_body_doc(ExamIn),
)
def exam_create(request: HttpRequest) -> Any:
    def act(a: Any, p: ExamIn) -> tuple[int, Any]:
        session = None
        if p.session_id is not None:
            session = selectors.session_or_404(session_id=p.session_id, actor=a)
        exam = services.exam_create(
            actor=a,
            agency=selectors.agency_of(a),
            title=p.title,
            subject=p.subject,
            mode=p.mode,
            opens_at=p.opens_at,
            closes_at=p.closes_at,
            question_count=p.question_count,
            duration_minutes=p.duration_minutes,
            pass_percent=p.pass_percent,
            session=session,
        )
        return 201, exam

    return _act(request, ExamIn, act)


@router.post(
    "/training/exams/{exam_id}/scores",
    response=_responses(ResultOut, 201),
    summary="Enter a paper exam's score for one candidate (two failures in a row suspend certificates)",
    openapi_extra=request_body_doc(PaperScoreIn),
)
def paper_score(request: HttpRequest, exam_id: int = ID) -> Any:
    exam = selectors.exam_or_404(exam_id=exam_id, actor=caller(request))

    def act(a: Any, p: PaperScoreIn) -> tuple[int, Any]:
        attempt = services.paper_score_enter(
            actor=a, exam=exam, officer_id=p.officer_id, score=p.score, max_score=p.max_score
        )
        return 201, _result(attempt)

    return _act(request, PaperScoreIn, act)


@router.get(
    "/training/attempts",
    response=with_errors(list[ResultOut]),
    summary="The agency's attempts, e.g. those awaiting marking (organisers only)",
)
@paginated
def attempts(request: HttpRequest, filters: Query[AttemptsQuery]) -> Any:
    _organiser(request)
    return _Mapped(
        selectors.attempts_for(caller(request), status=filters.status, exam_id=filters.exam_id), _result
    )


@router.post(
    "/training/attempts/{attempt_id}/mark",
    response=_responses(AttemptOut),
    summary="Mark the short answers of a handed-in attempt (never one's own)",
    openapi_extra=request_body_doc(MarksIn),
)
def mark(request: HttpRequest, attempt_id: int = ID) -> Any:
    attempt = _attempt(request, attempt_id)

    def act(a: Any, p: MarksIn) -> tuple[int, Any]:
        marks = {k: str(v) for k, v in p.marks.items()}
        return 200, _out(services.attempt_mark(actor=a, attempt=attempt, marks=marks))

    return _act(request, MarksIn, act)


@router.get(
    "/training/reviews",
    response=with_errors(list[ReviewOut]),
    summary="Annual certificate reviews (年审) of the agencies I read",
)
@paginated
def reviews(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)) -> Any:  # type: ignore[type-arg]
    return _Mapped(selectors.reviews_for(caller(request), year=year), _review)


@router.post(
    "/training/reviews",
    response=_responses(ReviewOut, 201),
    summary="Record an officer's annual review; hours and exam results are taken from the records",
    openapi_extra=request_body_doc(ReviewIn),
)
def review_record(request: HttpRequest) -> Any:
    def act(a: Any, p: ReviewIn) -> tuple[int, Any]:
        review = services.annual_review_record(
            actor=a, officer_id=p.officer_id, year=p.year, result=p.result, note=p.note
        )
        return 201, _review(selectors.reviews_for(a).get(pk=review.pk))

    return _act(request, ReviewIn, act)
