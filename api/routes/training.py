"""Training and exams (issue 9 §5): an officer's open exams, taking one on the server's clock, results.

The questions of an attempt are given without their answers; answers are sent as
`{question_id: answer}` (single: [index], multiple: [indices], true_false: true/false, short: text).
"""


import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from api.auth import caller
from api.errors import with_errors
from training import selectors, services

router = Router(tags=["training"])

ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]


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
    response=with_errors(AttemptOut),
    summary="Start (or resume) my attempt: questions drawn with a recorded seed, server-side clock",
)
def start(request: HttpRequest, exam_id: int = ID) -> Any:
    exam = selectors.exam_or_404(exam_id=exam_id, actor=caller(request))
    return _out(services.attempt_start(actor=caller(request), exam=exam))


@router.get("/training/attempts/{attempt_id}", response=with_errors(AttemptOut), summary="An attempt")
def attempt(request: HttpRequest, attempt_id: int = ID) -> Any:
    return _out(_attempt(request, attempt_id))


@router.post(
    "/training/attempts/{attempt_id}/save",
    response=with_errors(AttemptOut),
    summary="Save answers so far (refused after the time)",
)
def save(request: HttpRequest, body: AnswersIn, attempt_id: int = ID) -> Any:
    return _out(
        services.attempt_save(
            actor=caller(request), attempt=_attempt(request, attempt_id), answers=body.answers
        )
    )


@router.post(
    "/training/attempts/{attempt_id}/submit",
    response=with_errors(AttemptOut),
    summary="Hand in; answers arriving after the time are refused and the saved ones count",
)
def submit(request: HttpRequest, body: AnswersIn, attempt_id: int = ID) -> Any:
    return _out(
        services.attempt_submit(
            actor=caller(request), attempt=_attempt(request, attempt_id), answers=body.answers
        )
    )


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
